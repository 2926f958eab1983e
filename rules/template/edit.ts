// Text edits on YAML templates that keep the author's layout: add a key to a block map, add a
// child map under a function, replace a scalar. Flow maps and JSON get no structural edits.
import { isMap, isSeq, type Node } from './yaml';
import type { TextEdit } from '../api';
import { spanOf, pairs } from './yaml';

function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}
function lineEndOf(text: string, offset: number): number {
  const i = text.indexOf('\n', offset);
  return i === -1 ? text.length : i;
}

/** Appends `key: value` as the last entry of a block map. */
export function appendToBlockMap(text: string, map: Node, key: string, value: string): TextEdit | undefined {
  if (!isMap(map) || (map as { flow?: boolean }).flow) return undefined;
  const ps = pairs(map);
  if (!ps.length) return undefined;
  const firstKey = spanOf(ps[0].key);
  const last = ps[ps.length - 1];
  const lastEnd = spanOf(last.value ?? last.key);
  if (!firstKey || !lastEnd) return undefined;
  const indent = firstKey.start - lineStartOf(text, firstKey.start);
  // After the last entry's last line (its value may span lines; trailing comments stay above).
  let end = lineEndOf(text, Math.max(lastEnd.end - 1, firstKey.start));
  const nl = text.includes('\r\n') ? '\r\n' : '\n';
  if (text[end - 1] === '\r') end -= 1;
  return { start: end, end, newText: `${nl}${' '.repeat(indent)}${key}: ${value}` };
}

/**
 * Adds nested maps to a block map: `addChildMap(text, props, ['Environment', 'Variables'], 'K', 'v')`
 * appends `Environment:\n  Variables:\n    K: v` with the document's indentation.
 */
export function addChildMap(text: string, parent: Node, child: string | string[], key: string, value: string): TextEdit | undefined {
  if (!isMap(parent) || (parent as { flow?: boolean }).flow) return undefined;
  const ps = pairs(parent);
  const firstKey = ps[0] && spanOf(ps[0].key);
  if (!firstKey) return undefined;
  const indent = firstKey.start - lineStartOf(text, firstKey.start);
  const step = indentStep(text);
  const edit = appendToBlockMap(text, parent, 'x', '');
  if (!edit) return undefined;
  const nl = edit.newText.startsWith('\r\n') ? '\r\n' : '\n';
  const chain = Array.isArray(child) ? child : [child];
  const lines = chain.map((c, i) => `${nl}${' '.repeat(indent + i * step)}${c}:`);
  lines.push(`${nl}${' '.repeat(indent + chain.length * step)}${key}: ${value}`);
  return { ...edit, newText: lines.join('') };
}

/** The document's indentation unit (2 unless the file clearly uses another). */
export function indentStep(text: string): number {
  const m = /\n( +)\S/.exec(text);
  return m && m[1].length <= 4 ? m[1].length : 2;
}

/** Replaces the whole line of a map entry (including its newline) with other lines, or removes it. */
export function replaceEntryLine(text: string, keyOffset: number, valueEnd: number, replacement: string | undefined): TextEdit {
  const start = lineStartOf(text, keyOffset);
  let end = lineEndOf(text, Math.max(valueEnd - 1, keyOffset));
  if (replacement === undefined) {
    end = Math.min(text.length, end + 1);
    return { start, end, newText: '' };
  }
  const indent = keyOffset - start;
  return { start, end: text[end - 1] === '\r' ? end - 1 : end, newText: `${' '.repeat(indent)}${replacement}` };
}

/**
 * Inserts a new top-level-style entry (`key:` followed by `lines`, each a [depth, text] pair
 * indented by the document's step) on its own lines just before the entry `beforeKey` of a block
 * map, e.g. a SAM `Globals:` section before `Resources:`. Undefined for flow maps and JSON.
 */
export function insertEntryBefore(text: string, map: Node, beforeKey: string, key: string, lines: Array<[number, string]>): TextEdit | undefined {
  if (!isMap(map) || (map as { flow?: boolean }).flow) return undefined;
  const before = pairs(map).find((p) => (p.key as { value?: unknown } | null)?.value === beforeKey);
  const at = spanOf(before?.key);
  if (!at) return undefined;
  const start = lineStartOf(text, at.start);
  const indent = at.start - start;
  // The key must start its own line (not `- Resources:` or `{ Resources: … }`).
  if (text.slice(start, at.start).trim() !== '') return undefined;
  // Comments right above the key describe it: insert above them.
  let insertAt = start;
  while (insertAt > 0) {
    const prev = lineStartOf(text, insertAt - 1);
    if (!text.slice(prev, insertAt).trimStart().startsWith('#')) break;
    insertAt = prev;
  }
  const step = indentStep(text);
  const nl = text.includes('\r\n') ? '\r\n' : '\n';
  const pad = (d: number) => ' '.repeat(indent + d * step);
  const body = [`${pad(0)}${key}:`, ...lines.map(([d, l]) => `${pad(d)}${l}`)].join(nl);
  return { start: insertAt, end: insertAt, newText: `${body}${nl}${nl}` };
}

/**
 * Inserts a new entry (`key:` followed by `lines`, each a [depth, text] pair indented by the
 * document's step under the key) right after the entry `afterKey` of a block map, e.g. a policy
 * resource next to the bucket it protects. Undefined for flow maps and JSON.
 */
export function insertEntryAfter(text: string, map: Node, afterKey: string, key: string, lines: Array<[number, string]>): TextEdit | undefined {
  if (!isMap(map) || (map as { flow?: boolean }).flow) return undefined;
  const after = pairs(map).find((p) => (p.key as { value?: unknown } | null)?.value === afterKey);
  const at = spanOf(after?.key);
  const last = spanOf(after?.value ?? after?.key);
  if (!at || !last) return undefined;
  const start = lineStartOf(text, at.start);
  if (text.slice(start, at.start).trim() !== '') return undefined;
  const indent = at.start - start;
  let end = lineEndOf(text, Math.max(last.end - 1, at.start));
  if (text[end - 1] === '\r') end -= 1;
  const step = indentStep(text);
  const nl = text.includes('\r\n') ? '\r\n' : '\n';
  const pad = (d: number) => ' '.repeat(indent + d * step);
  const body = [`${pad(0)}${key}:`, ...lines.map(([d, l]) => `${pad(d)}${l}`)].join(nl);
  return { start: end, end, newText: `${nl}${body}` };
}

/**
 * Appends an item to a block sequence: `lines` are [depth, text] pairs, the first one becomes
 * `- text` at the dash column of the existing items, deeper ones are indented under it.
 */
export function appendToBlockSeq(text: string, seq: Node, lines: Array<[number, string]>): TextEdit | undefined {
  if (!isSeq(seq) || (seq as { flow?: boolean }).flow || !seq.items.length || !lines.length) return undefined;
  const first = spanOf(seq.items[0]);
  const last = spanOf(seq.items[seq.items.length - 1]);
  if (!first || !last) return undefined;
  const lineStart = lineStartOf(text, first.start);
  const prefix = /^(\s*)-(\s+)$/.exec(text.slice(lineStart, first.start));
  if (!prefix) return undefined;
  const dash = prefix[1].length;
  const itemIndent = dash + 1 + prefix[2].length;
  let end = lineEndOf(text, Math.max(last.end - 1, last.start));
  if (text[end - 1] === '\r') end -= 1;
  const step = indentStep(text);
  const nl = text.includes('\r\n') ? '\r\n' : '\n';
  const out = lines.map(([d, l], i) => (i === 0 ? `${' '.repeat(dash)}-${prefix[2]}${l}` : `${' '.repeat(itemIndent + d * step)}${l}`));
  return { start: end, end, newText: nl + out.join(nl) };
}
