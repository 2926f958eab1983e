// Text edits on YAML templates that keep the author's layout: add a key to a block map, add a
// child map under a function, replace a scalar. Flow maps and JSON get no structural edits.
import { isMap, type Node } from './yaml';
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
