// Inline suppressions: `faaslint-ignore <rule>[, <rule>] -- <reason>` in a comment on the
// finding's line or the line above; `faaslint-ignore-file <rule>` anywhere in a comment. JSON has no
// comments: a template's `Metadata.faaslint.ignore` list (rule ids) plays that role.
import type { LineIndex } from './positions';
import type { TemplateModel } from '../../../rules/template/model';
import { get, getPath, items, str, spanOf } from '../../../rules/template/yaml';

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

/**
 * JSON templates cannot hold comments: `Metadata: { faaslint: { ignore: ['<rule> -- <reason>'] } }`
 * on the template silences a rule in the file, on a resource within that resource's range.
 */
export interface MetadataSuppression { ruleIds: Set<string>; start: number; end: number }

export function templateMetadataSuppressions(template: TemplateModel): MetadataSuppression[] {
  const out: MetadataSuppression[] = [];
  const read = (metadata: unknown, start: number, end: number) => {
    const ids = items(getPath(metadata, ['faaslint', 'ignore']))
      .map((n) => str(n) ?? str(get(n, 'rule')))
      .filter((x): x is string => !!x)
      .map((x) => x.split(/\s+--\s*/)[0].trim());
    if (ids.length) out.push({ ruleIds: new Set(ids), start, end });
  };
  read(get(template.doc.contents, 'Metadata'), 0, template.text.length);
  for (const r of template.resources) {
    const span = spanOf(r.node);
    if (span) read(get(r.node, 'Metadata'), span.start, span.end);
  }
  return out;
}

export function isSuppressedByMetadata(list: MetadataSuppression[], ruleId: string, offset: number): boolean {
  return list.some((s) => (s.ruleIds.has(ruleId) || s.ruleIds.has('*')) && offset >= s.start && offset <= s.end);
}
