import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Node } from 'yaml';
import { fromPointer } from './pipeline-error.js';

/**
 * Maps a JSON pointer of a parsed YAML file back to the line its node starts on, so that a
 * finding about the patched document can point at the upstream text a person reads. A pointer
 * whose node the file does not have (an overlay added it) maps to `undefined`.
 */
export function sourceLines(text: string): (pointer: string) => number | undefined {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter });
  const root = Array.isArray(docs) ? docs.find((d) => d.contents !== null)?.contents : undefined;
  return (pointer) => {
    let node: unknown = root;
    for (const segment of fromPointer(pointer)) {
      node = child(node, segment);
      if (node === undefined) return undefined;
    }
    const offset = (node as Node | undefined)?.range?.[0];
    return offset === undefined ? undefined : lineCounter.linePos(offset).line;
  };
}

// Keys are compared as text: a crawled `200:` is a number key in YAML, "200" in a pointer.
function child(node: unknown, segment: string): unknown {
  if (isMap(node)) {
    const pair = node.items.find((p) => String(isScalar(p.key) ? p.key.value : p.key) === segment);
    // An empty value (`responses:`) has no node of its own: its key's line stands for it.
    return pair ? (pair.value ?? pair.key) : undefined;
  }
  if (isSeq(node)) return node.items[Number(segment)];
  return undefined;
}
