// Setting one property of a function or resource, keeping the author's layout: replace a plain
// scalar in place (keeping its quotes, so JSON works too), or append the key to a block map.
import type { TextEdit } from '../api';
import { get, getPair, spanOf, isScalar, isMap, type Node } from '../template/yaml';
import { appendToBlockMap, addChildMap } from '../template/edit';

/** Replaces a plain scalar's value, keeping its quotes; undefined for intrinsics and collections. */
export function replaceScalar(text: string, node: Node | undefined, value: string): TextEdit | undefined {
  const span = spanOf(node);
  if (!span || !isScalar(node) || (node as { tag?: string }).tag?.startsWith('!')) return undefined;
  const q = text[span.start];
  const quoted = (q === '"' || q === "'") && text[span.end - 1] === q;
  return { ...span, newText: quoted ? `${q}${value}${q}` : value };
}

/**
 * `key: value` in `map`: replaces an existing plain scalar, or appends the key to a block map.
 * When `map` is missing and `parent`/`mapKey` are given (a resource without `Properties`), adds
 * `mapKey:` with the entry under `parent`.
 */
export function setEntry(text: string, map: Node | undefined, key: string, value: string, parent?: Node, mapKey?: string): TextEdit | undefined {
  if (map === undefined) {
    return parent && mapKey ? addChildMap(text, parent, mapKey, key, value) : undefined;
  }
  if (getPair(map, key) !== undefined) return replaceScalar(text, get(map, key), value);
  return isMap(map) ? appendToBlockMap(text, map, key, value) : undefined;
}

/**
 * Appends a nested block map `key:` (or a chain of keys) with several entries
 * (`StreamEncryption: {EncryptionType, KeyId}`) to a block map, in the document's indentation.
 */
export function appendNestedMap(text: string, map: Node, key: string | string[], entries: Array<[string, string]>): TextEdit | undefined {
  if (!entries.length) return undefined;
  const first = addChildMap(text, map, key, entries[0][0], entries[0][1]);
  if (!first) return undefined;
  const nl = first.newText.startsWith('\r\n') ? '\r\n' : '\n';
  const lastLine = first.newText.slice(first.newText.lastIndexOf('\n') + 1);
  const indent = lastLine.length - lastLine.trimStart().length;
  const rest = entries.slice(1).map(([k, v]) => `${nl}${' '.repeat(indent)}${k}: ${v}`).join('');
  return { ...first, newText: first.newText + rest };
}
