// Incremental re-parse of an edited module: TypeScript's incremental parser reuses every subtree
// the edit did not touch (a keystroke in a 2,000-line file re-parses in a few ms instead of ~50).
// It moves reused nodes into the new tree and shifts their positions in place, so the old tree
// is dead afterwards, and caches keyed by node that depend on a node's ancestors (name
// resolution) or hold positions are no longer right for the nodes it carried over: those caches
// (most through tree-cache.ts) register here and start afresh after every incremental parse.
import ts from 'typescript';

/** A parsed version of a module that the next version may be parsed from. */
export interface ParsedTree { text: string; sf: ts.SourceFile }

/** Where two texts differ: the common prefix and suffix left out. */
export interface TextChange { start: number; oldEnd: number; newEnd: number }

/** The last answer: the parse and the taint reuse ask about the same two versions in turn. */
let last: { oldText: string; newText: string; change: TextChange } | undefined;

export function textChange(oldText: string, newText: string): TextChange {
  if (last && last.oldText === oldText && last.newText === newText) return last.change;
  const change = diff(oldText, newText);
  last = { oldText, newText, change };
  return change;
}

function diff(oldText: string, newText: string): TextChange {
  const n = Math.min(oldText.length, newText.length);
  let start = 0;
  while (start < n && oldText.charCodeAt(start) === newText.charCodeAt(start)) start++;
  let tail = 0;
  while (tail < n - start && oldText.charCodeAt(oldText.length - 1 - tail) === newText.charCodeAt(newText.length - 1 - tail)) tail++;
  return { start, oldEnd: oldText.length - tail, newEnd: newText.length - tail };
}

const resets: Array<() => void> = [];

/** `reset` runs after each incremental parse (a cache keyed by node empties itself). */
export function onTreeReuse(reset: () => void): void {
  resets.push(reset);
}

/**
 * `text` parsed from `base` when it can be (same file name; the base is consumed), else parsed
 * afresh. Any failure of the incremental parser falls back to a full parse.
 */
export function parseModule(fileName: string, text: string, kind: ts.ScriptKind, base: ParsedTree | undefined): ts.SourceFile {
  if (base && base.sf.fileName === fileName && base.sf.text === base.text) {
    const c = textChange(base.text, text);
    try {
      for (const r of resets) r();
      return ts.updateSourceFile(base.sf, text, ts.createTextChangeRange(ts.createTextSpan(c.start, c.oldEnd - c.start), c.newEnd - c.start));
    } catch {
      // fall through: the old tree may be half-updated, so it is not used again
    }
  }
  return ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, kind);
}
