// Inline suppressions: `faaslint-ignore <rule>[, <rule>] -- <reason>` in a comment on the
// finding's line or the line above; `faaslint-ignore-file <rule>` anywhere in a comment. JSON has no
// comments: a template's `Metadata.faaslint.ignore` list (rule ids) plays that role.
import type { LineIndex } from './positions';

export interface Suppressions { lines: Map<number, Set<string>>; file: Set<string> }

const DIRECTIVE = /(?:#|\/\/|\/\*|^\s*\*)\s*faaslint-ignore(-file)?\s+([\w*,\s-]+?)(?:\s+--\s*(.*?))?\s*(?:\*\/)?$/;

export function scanSuppressions(index: LineIndex): Suppressions {
  const out: Suppressions = { lines: new Map(), file: new Set() };
  const text = index.text;
  if (!text.includes('faaslint-ignore')) return out;
  for (let line = 0; line < index.lineCount; line++) {
    const t = index.lineText(line);
    if (!t.includes('faaslint-ignore')) continue;
    const m = DIRECTIVE.exec(t);
    if (!m) continue;
    const ids = m[2].split(/[\s,]+/).filter(Boolean);
    if (m[1]) { ids.forEach((id) => out.file.add(id)); continue; }
    // A directive alone on its line applies to the next line; after code, to its own line.
    const before = t.slice(0, m.index).trim();
    const target = before ? line : line + 1;
    const set = out.lines.get(target) ?? new Set<string>();
    ids.forEach((id) => set.add(id));
    out.lines.set(target, set);
  }
  return out;
}

export function isSuppressed(s: Suppressions, ruleId: string, line: number): boolean {
  if (s.file.has(ruleId) || s.file.has('*')) return true;
  const set = s.lines.get(line);
  return !!set && (set.has(ruleId) || set.has('*'));
}
