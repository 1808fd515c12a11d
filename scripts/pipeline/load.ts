import { isScalar, LineCounter, parseAllDocuments, type Document } from 'yaml';
import { PipelineError } from './pipeline-error.js';

function isEmptyDocument(doc: Document.Parsed): boolean {
  const contents = doc.contents;
  return contents === null || (isScalar(contents) && contents.value === null);
}

/**
 * Parses a YAML (or JSON) file that may be a stream. Crawled fragments begin and end with
 * `---`, which makes a second, empty document: harmless, so empty documents are dropped.
 * Two documents with content are ambiguous and refused.
 */
export function loadYamlDocument(text: string, file: string): Record<string, unknown> {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { prettyErrors: true, lineCounter });
  if (!Array.isArray(docs)) {
    throw new PipelineError({
      file,
      reason: 'not a YAML document',
      hint: 'check the file is YAML or JSON',
    });
  }
  for (const doc of docs) {
    const [first] = doc.errors;
    if (first) {
      const line = first.linePos?.[0]?.line;
      throw new PipelineError({
        file,
        reason: `invalid YAML${line ? ` at line ${line}` : ''}: ${first.message.split('\n')[0]}`,
        hint: 'fix the YAML syntax at that line',
      });
    }
  }
  const nonEmpty = docs.filter((doc) => !isEmptyDocument(doc));
  if (nonEmpty.length === 0) {
    throw new PipelineError({
      file,
      reason: 'the file holds no YAML document',
      hint: 'add the spec content',
    });
  }
  if (nonEmpty.length > 1) {
    const offset = nonEmpty[1]?.contents?.range?.[0] ?? 0;
    const line = lineCounter.linePos(offset).line;
    throw new PipelineError({
      file,
      reason: `the YAML stream holds ${nonEmpty.length} non-empty documents (the second starts at line ${line})`,
      hint: 'keep one document per file; split other fragments into their own files',
    });
  }
  const value: unknown = nonEmpty[0]?.toJS({ maxAliasCount: 100 });
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new PipelineError({
      file,
      reason: 'the document is not a mapping',
      hint: 'a spec or overlay is a YAML mapping at top level',
    });
  }
  return value as Record<string, unknown>;
}
