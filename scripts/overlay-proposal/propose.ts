import {
  asObject,
  HTTP_METHODS,
  OPERATION_ID,
  operationsOf,
  runtimeGaps,
  type Json,
  type OperationAt,
} from '../pipeline/operations.js';
import { PipelineError } from '../pipeline/pipeline-error.js';
import { danglingRefs } from '../pipeline/validate.js';
import { operationIdFor } from './naming.js';
import { inferParameterType } from './parameter-type.js';

export interface ProposedAction {
  target: string;
  description: string;
  update?: unknown;
  remove?: true;
}

/** What the script cannot decide, for a person to settle in the hand-written overlay. */
export interface ReviewItem {
  /** `METHOD /path`, or `(document)` for findings about several operations. */
  operation: string;
  text: string;
}

export interface Proposal {
  actions: ProposedAction[];
  /** The operations kept, in document order: the input the proposal records to be rerun. */
  keep: string[];
  review: ReviewItem[];
}

/** Crawler metadata of the streamdata crawl, at the top of a fragment and on each operation. */
const CRAWLER_KEYS: Readonly<Record<string, string>> = {
  'x-collection-name': 'Crawler collection label, not part of the API.',
  'x-complete': 'Crawler completeness flag, not part of the API.',
  'x-streamrank':
    'Crawler ranking metadata, not part of the API; it would leak into the OpenAPI 3 document.',
};
const CRAWLER_OPERATION_KEY = 'x-api-path-slug';

function pathTarget(path: string): string {
  return `$.paths['${path.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
}

/** An operation with how a person names it and its overlay target. */
interface Operation extends OperationAt {
  label: string;
  target: string;
}

function labelled(spec: Json): Operation[] {
  return operationsOf(spec).map((op) => ({
    ...op,
    label: `${op.method.toUpperCase()} ${op.path}`,
    target: `${pathTarget(op.path)}.${op.method}`,
  }));
}

/**
 * The mechanical part of a crawled fragment's overlay: crawler metadata dropped, operations not
 * kept removed, one tag, a short operationId and typed parameters for each kept one. `spec` is
 * the fragment as the pipeline has it before this overlay (the API-level overlay applied), so
 * nothing that overlay already does is repeated. `keep` undefined keeps every operation.
 */
export function proposeOverlay(
  spec: Json,
  fragmentFile: string,
  keep?: readonly string[],
): Proposal {
  const operations = labelled(spec);
  checkKeep(operations, fragmentFile, keep);
  const kept = operations.filter((op) => keep === undefined || keep.includes(op.label));
  const actions: ProposedAction[] = [];
  const review: ReviewItem[] = [];
  for (const [key, description] of Object.entries(CRAWLER_KEYS)) {
    if (key in spec) actions.push({ target: `$['${key}']`, description, remove: true });
  }
  actions.push(...removals(spec, kept));
  const ids = new Map<string, Operation>();
  for (const op of kept) {
    actions.push(...operationActions(op, review));
    claimOperationId(op, ids, review);
    review.push(...unresolved(spec, op), ...untypedResponses(op), ...runtimeLimits(spec, op));
  }
  review.push(...tagClashes(kept));
  for (const [path, item] of Object.entries(asObject(spec.paths))) {
    if ('parameters' in asObject(item) && kept.some((op) => op.path === path)) {
      review.push({
        operation: path,
        text: 'has path-level parameters, which this script does not type: type them by hand',
      });
    }
  }
  return { actions, keep: kept.map((op) => op.label), review };
}

function checkKeep(operations: Operation[], file: string, keep?: readonly string[]): void {
  const unknown = (keep ?? []).filter((entry) => !operations.some((op) => op.label === entry));
  if (unknown.length === 0) return;
  throw new PipelineError({
    file,
    reason: `the keep list names ${unknown.length === 1 ? 'an operation' : 'operations'} the fragment does not have: ${unknown.join(', ')}`,
    hint: `keep some of: ${operations.map((op) => op.label).join(', ')}`,
  });
}

/** Operations not kept; a path none of whose operations is kept goes whole. */
function removals(spec: Json, kept: Operation[]): ProposedAction[] {
  const actions: ProposedAction[] = [];
  for (const [path, item] of Object.entries(asObject(spec.paths))) {
    const methods = Object.keys(asObject(item)).filter((m) => HTTP_METHODS.includes(m));
    const keptHere = kept.filter((op) => op.path === path).map((op) => op.method);
    if (keptHere.length === 0) {
      actions.push({
        target: pathTarget(path),
        description: `Not needed around downlinks (${methods.map((m) => m.toUpperCase()).join(', ')}); list it in --keep to keep it.`,
        remove: true,
      });
      continue;
    }
    for (const method of methods.filter((m) => !keptHere.includes(m))) {
      actions.push({
        target: `${pathTarget(path)}.${method}`,
        description: `Not needed around downlinks; list "${method.toUpperCase()} ${path}" in --keep to keep it.`,
        remove: true,
      });
    }
  }
  return actions;
}

function operationActions(op: Operation, review: ReviewItem[]): ProposedAction[] {
  const actions: ProposedAction[] = [];
  const tags = Array.isArray(op.value.tags) ? (op.value.tags as unknown[]).map(String) : [];
  const update: Json = {};
  const why: string[] = [];
  const id = op.value.operationId;
  if (typeof id !== 'string' || !OPERATION_ID.test(id)) {
    const named = operationIdFor(op.method, op.path, op.value.summary);
    update.operationId = named.operationId;
    const was = typeof id === 'string' ? `a ${id.length}-character slug` : 'none';
    why.push(
      named.fallback
        ? `A short operationId from the method and path (the summary names no known action; the crawl had ${was}).`
        : `A short operationId from the summary "${String(op.value.summary)}" (the crawl had ${was}); it becomes the method name.`,
    );
    if (named.fallback) {
      review.push({
        operation: op.label,
        text: `operationId ${named.operationId} comes from the method and path, not the summary: rename it if a better name exists`,
      });
    }
  }
  if (tags.length > 1) {
    actions.push({
      target: `${op.target}.tags`,
      description: `${tags.length} tags (${tags.join(', ')}) made the generator write the operation into ${tags.length} services; removed here and set to the first, ${tags[0]}, below.`,
      remove: true,
    });
    update.tags = [tags[0]];
    why.push(`One tag, ${tags[0]}, the crawl's first (its resource noun).`);
  } else if (tags.length === 0) {
    review.push({ operation: op.label, text: 'has no tag: give it one (its resource noun)' });
  }
  if (CRAWLER_OPERATION_KEY in op.value) {
    actions.push({
      target: `${op.target}['${CRAWLER_OPERATION_KEY}']`,
      description: 'Crawler slug, not part of the API.',
      remove: true,
    });
  }
  if (Object.keys(update).length > 0) {
    actions.push({ target: op.target, description: why.join(' '), update });
  }
  const parameters = parameterUpdates(op.value.parameters);
  if (parameters.length > 0) {
    actions.push({
      target: `${op.target}.parameters`,
      description:
        'Swagger 2.0 requires a type on every non-body parameter and required: true on path ' +
        'parameters; the crawl had neither. Types read from names and descriptions ' +
        '(flags: "Indicates", "Whether"; counts: page, size, limit, offset, count, "number of"; ' +
        'else string); required written out. (Overlay 1.0 merges parameter lists by name and in.)',
      update: parameters,
    });
  }
  return actions;
}

/** One entry per non-body parameter that lacks a type or a required path flag. */
function parameterUpdates(parameters: unknown): Json[] {
  const updates: Json[] = [];
  for (const value of Array.isArray(parameters) ? parameters : []) {
    const p = asObject(value);
    if (typeof p.name !== 'string' || typeof p.in !== 'string' || p.in === 'body') continue;
    const entry: Json = { name: p.name, in: p.in };
    if (p.type === undefined) entry.type = inferParameterType(p.name, p.description);
    if (p.required === undefined) entry.required = p.in === 'path';
    else if (p.in === 'path' && p.required !== true) entry.required = true;
    if (Object.keys(entry).length > 2) updates.push(entry);
  }
  return updates;
}

/**
 * Two kept operations whose summaries give one name (two "Frame statistics retrieval") cannot
 * both have it, and which should be renamed is a judgment: a review item for the hand-written
 * overlay, which is applied after the proposal. Left as is, the pipeline refuses the document.
 */
function claimOperationId(op: Operation, ids: Map<string, Operation>, review: ReviewItem[]): void {
  const existing = op.value.operationId;
  const id =
    typeof existing === 'string' && OPERATION_ID.test(existing)
      ? existing
      : operationIdFor(op.method, op.path, op.value.summary).operationId;
  const owner = ids.get(id);
  if (owner === undefined) {
    ids.set(id, op);
    return;
  }
  review.push({
    operation: op.label,
    text: `operationId ${id} also names ${owner.label}: set another operationId for one of them in the hand-written overlay (or keep only one)`,
  });
}

function unresolved(spec: Json, op: Operation): ReviewItem[] {
  const items: ReviewItem[] = [];
  for (const value of Array.isArray(op.value.parameters) ? op.value.parameters : []) {
    const p = asObject(value);
    if (p.in !== 'body') continue;
    if (p.schema === undefined) {
      items.push({
        operation: op.label,
        text: `body parameter "${String(p.name)}" has no schema: define its model`,
      });
    }
    for (const { ref } of danglingRefs(spec, p.schema)) {
      items.push({
        operation: op.label,
        text: `body parameter "${String(p.name)}" references ${ref}, which the fragment does not define: define the model and point the body at it`,
      });
    }
  }
  for (const [status, response] of Object.entries(asObject(op.value.responses))) {
    for (const { ref } of danglingRefs(spec, response)) {
      items.push({
        operation: op.label,
        text: `response ${status} references ${ref}, which the fragment does not define: define the model`,
      });
    }
  }
  return items;
}

function untypedResponses(op: Operation): ReviewItem[] {
  const items: ReviewItem[] = [];
  for (const [status, response] of Object.entries(asObject(op.value.responses))) {
    if (!/^2\d\d$/.test(status) || status === '204') continue;
    const r = asObject(response);
    if (r.schema !== undefined || r.$ref !== undefined) continue;
    items.push({
      operation: op.label,
      text: `response ${status} has no schema, so the client would type it as any: model it (mark what is unconfirmed) and add the error responses`,
    });
  }
  return items;
}

/** What the request runtime does not honour; the pipeline refuses these (see operations.ts). */
function runtimeLimits(spec: Json, op: Operation): ReviewItem[] {
  const gaps = runtimeGaps(spec, op);
  const items = gaps.formData.map(({ name }) => ({
    operation: op.label,
    text: `parameter "${name}" is a formData field, which the request runtime does not send yet: the pipeline refuses the operation until it does`,
  }));
  if (gaps.ownSecurity) {
    items.push({
      operation: op.label,
      text: 'has its own security, which the request runtime does not honour yet (it sends the bearer token on every call): the pipeline refuses the operation until it does',
    });
  }
  return items;
}

/** Kept operations whose tags differ only by a plural (`Device`, `Devices`): two services. */
function tagClashes(kept: Operation[]): ReviewItem[] {
  const byNoun = new Map<string, Set<string>>();
  for (const op of kept) {
    const tag = Array.isArray(op.value.tags) ? op.value.tags[0] : undefined;
    if (typeof tag !== 'string') continue;
    const noun = tag.toLowerCase().replace(/s$/, '');
    byNoun.set(noun, (byNoun.get(noun) ?? new Set()).add(tag));
  }
  const items: ReviewItem[] = [];
  for (const tags of byNoun.values()) {
    if (tags.size < 2) continue;
    items.push({
      operation: '(document)',
      text: `tags ${[...tags].sort().join(' and ')} name one resource, so the client would get a service for each: set one tag on all of them`,
    });
  }
  return items;
}
