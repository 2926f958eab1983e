// `faaslint --list-rules`: what can be configured, in the same words as the docs.
import type { RuleMeta } from '../../../rules/api';
import type { Format } from './args';
import { ruleDocsUrl } from './version';

export function formatRuleList(rules: readonly RuleMeta[], format: Format): string {
  if (format !== 'text') {
    const list = rules.map((r) => ({
      id: r.id, description: r.description, category: r.category, severity: r.severity,
      fix: r.fix ?? null, cwe: r.cwe, sas: r.sas, docs: ruleDocsUrl(r.id),
    }));
    return JSON.stringify(list, null, 2) + '\n';
  }
  if (rules.length === 0) return 'No rules are registered.\n';
  const rows = rules.map((r) => [r.id, r.category, r.severity, r.sas, r.fix ?? '-', r.description]);
  const head = ['RULE', 'CATEGORY', 'SEVERITY', 'SAS', 'FIX', 'DESCRIPTION'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  return [line(head), ...rows.map(line)].join('\n') + '\n';
}
