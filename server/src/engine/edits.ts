// Applies text edits and whole fixes. A fix is atomic: all of its edits (possibly in several
// files) apply, or none do when one would overlap or touch an edit already accepted. Callers
// re-lint and try the remaining fixes again (the multipass approach of ESLint's --fix).
import type { TextEdit } from '../../../rules/api';

export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  let limit = Infinity;
  for (const e of sorted) {
    if (e.end > limit) continue; // overlapping edit: skip rather than corrupt the file
    out = out.slice(0, e.start) + e.newText + out.slice(e.end);
    limit = e.start;
  }
  return out;
}

export interface FileEdit extends TextEdit { file: string }

/** Picks the fixes that can apply together, in order; returns the edits per file. */
export function selectFixes(fixes: ReadonlyArray<{ edits: readonly FileEdit[] }>): { perFile: Map<string, FileEdit[]>; applied: number } {
  const perFile = new Map<string, FileEdit[]>();
  let applied = 0;
  const conflicts = (e: FileEdit) =>
    (perFile.get(e.file) ?? []).some((o) => e.start <= o.end && o.start <= e.end && !(e.start === o.start && e.end === o.end && e.newText === o.newText));
  for (const fix of fixes) {
    if (!fix.edits.length || fix.edits.some(conflicts)) continue;
    for (const e of fix.edits) {
      const list = perFile.get(e.file) ?? [];
      if (!list.some((o) => o.start === e.start && o.end === e.end && o.newText === e.newText)) list.push(e);
      perFile.set(e.file, list);
    }
    applied++;
  }
  return { perFile, applied };
}
