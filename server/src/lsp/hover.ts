// Hover over a finding: what the rule checks, the message, the fixes on offer, and its docs link.
import { MarkupKind, type Hover, type Position } from 'vscode-languageserver/node';
import type { LocatedFinding } from '../engine/index';
import type { Rule } from '../../../rules/api';
import { docsUrl } from './protocol';
import { mdInline } from './markdown';

export function hoverFor(findings: readonly LocatedFinding[], at: Position, rules: readonly Rule[]): Hover | null {
  if (!at || typeof at.line !== 'number' || typeof at.character !== 'number') return null;
  const hits = findings.filter((f) => contains(f, at));
  if (hits.length === 0) return null;
  const parts = hits.map((f) => {
    const meta = rules.find((r) => r.meta.id === f.ruleId)?.meta;
    const lines = [`**faaslint** \`${f.ruleId}\` · ${f.severity}${meta ? ` · ${meta.category}` : ''}`, '', mdInline(f.message)];
    if (meta) lines.push('', `_${mdInline(meta.description)}_`);
    if (f.fixes.length > 0) lines.push('', ...f.fixes.map((x, i) => `- ${i === 0 ? 'Fix' : 'Or'}: ${mdInline(x.title)}${x.kind === 'suggestion' ? ' (review before applying)' : ''}`));
    lines.push('', `[Rule documentation](${docsUrl(f.ruleId)})`);
    return lines.join('\n');
  });
  return { contents: { kind: MarkupKind.Markdown, value: parts.join('\n\n---\n\n') }, range: hits[0].range };
}

function contains(f: LocatedFinding, p: Position): boolean {
  const { start, end } = f.range;
  const afterStart = p.line > start.line || (p.line === start.line && p.character >= start.character);
  const beforeEnd = p.line < end.line || (p.line === end.line && p.character <= end.character);
  return afterStart && beforeEnd;
}
