/**
 * Short camelCase operationIds from the crawl's summaries ("Device list retrieval" ->
 * `listDevices`), so that generated method names read like what a person would type.
 */
import { OPERATION_ID } from '../pipeline/operations.js';

/** The crawl names an operation by its action as a noun ("Device creation"); the verb for each. */
const VERBS: Readonly<Record<string, string>> = {
  acknowledgement: 'acknowledge',
  cancellation: 'cancel',
  creation: 'create',
  deletion: 'delete',
  generation: 'generate',
  retrieval: 'get',
  revocation: 'revoke',
  sending: 'send',
  update: 'update',
  validation: 'validate',
};

export interface NamedOperation {
  operationId: string;
  /** True when the summary did not fit and the name comes from the method and the path. */
  fallback: boolean;
}

export function operationIdFor(method: string, path: string, summary: unknown): NamedOperation {
  const fromSummary =
    typeof summary === 'string' ? nameFromSummary(method, path, summary) : undefined;
  if (fromSummary !== undefined && OPERATION_ID.test(fromSummary)) {
    return { operationId: fromSummary, fallback: false };
  }
  return { operationId: nameFromPath(method, path), fallback: true };
}

function nameFromSummary(method: string, path: string, summary: string): string | undefined {
  const words = summary.split(/[^A-Za-z0-9]+/).filter((w) => w !== '');
  const verb = VERBS[words.at(-1)?.toLowerCase() ?? ''];
  if (verb === undefined) return undefined;
  const asList = words.slice(0, -1).some((w) => w.toLowerCase() === 'list');
  const noun = words.slice(0, -1).filter((w) => w.toLowerCase() !== 'list');
  const last = noun.at(-1);
  if (last === undefined) return undefined;
  const lists = verb === 'get' && (asList || isPlural(last) || isCollection(method, path));
  const head = noun.slice(0, -1);
  if (lists) return camel(['list', ...head, pluralize(last)]);
  return camel([verb, ...head, verb === 'get' ? last : singularize(last)]);
}

/**
 * The method and the path's last fixed segment, plus the parameter that follows it:
 * `GET /devices/{deviceRef}` -> `getDevicesByDeviceRef`. Plain, but never a guess at a verb.
 */
function nameFromPath(method: string, path: string): string {
  const segments = path.split('/').filter((s) => s !== '');
  const last = segments.at(-1) ?? '';
  const parameter = /^\{(.+)\}$/.exec(last)?.[1];
  const resource = [...segments].reverse().find((s) => !s.startsWith('{')) ?? 'root';
  const words = [method.toLowerCase(), ...split(resource)];
  if (parameter !== undefined) words.push('by', ...split(parameter));
  return camel(words).slice(0, 48);
}

/** A GET on a path that does not end with a parameter, whose last segment reads as a plural. */
function isCollection(method: string, path: string): boolean {
  const last =
    path
      .split('/')
      .filter((s) => s !== '')
      .at(-1) ?? '';
  return method.toLowerCase() === 'get' && !last.startsWith('{') && isPlural(last);
}

/** `Devices`, `Keys`, `Statistics`; not `Access`, `Status`, nor an acronym such as `AS`. */
function isPlural(word: string): boolean {
  return word !== word.toUpperCase() && /[^su]s$/i.test(word);
}

function pluralize(word: string): string {
  if (isPlural(word)) return word;
  if (/[^aeiou]y$/i.test(word)) return `${word.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/i.test(word)) return `${word}es`;
  return `${word}s`;
}

function singularize(word: string): string {
  if (!isPlural(word)) return word;
  if (/ies$/i.test(word)) return `${word.slice(0, -3)}y`;
  if (/(ss|x|z|ch|sh)es$/i.test(word)) return word.slice(0, -2);
  return word.slice(0, -1);
}

/** camelCase words and identifiers: `deviceRef` -> device, Ref; `ISM` stays one word. */
function split(text: string): string[] {
  return text.split(/[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])/).filter((w) => w !== '');
}

/** `ISM` -> `Ism` (an acronym is one word of a method name), `deviceRef` keeps its inner case. */
function capitalize(word: string): string {
  const base = word === word.toUpperCase() ? word.toLowerCase() : word;
  return base.charAt(0).toUpperCase() + base.slice(1);
}

function camel(words: string[]): string {
  const [first = '', ...rest] = words;
  return first.toLowerCase() + rest.map(capitalize).join('');
}
