// The human format, modelled on ESLint's "stylish": findings grouped under their file, aligned
// columns, then a summary and the skipped files. Never prints source lines (they may hold secrets).
import type { Palette } from '../color';
import { displayPath } from '../paths';
import { plural, type Report } from '../report';

interface Row {
  line: number;
  column: number;
  severity: 'error' | 'warning' | 'info';
  message: string;
  /** Rule id, or a label in parentheses for engine problems. */
  source: string;
  note: string;
}

export function formatText(report: Report, c: Palette): string {
  const out: string[] = [];
  for (const f of report.files) {
    const rows: Row[] = [
      ...f.findings.map((x): Row => ({
        line: x.range.start.line + 1,
        column: x.range.start.character + 1,
        severity: x.severity,
        message: oneLine(x.message),
        source: x.ruleId,
        note: fixNote(x.fixes.map((fx) => fx.title)),
      })),
      ...f.problems.map((p): Row => ({
        line: p.range.start.line + 1,
        column: p.range.start.character + 1,
        severity: p.severity,
        message: oneLine(p.message),
        source: p.message.startsWith('faaslint: rule ') ? '(internal)' : '(parse)',
        note: '',
      })),
    ].sort((a, b) => a.line - b.line || a.column - b.column);
    if (rows.length === 0) continue;

    const posWidth = Math.max(...rows.map((r) => `${r.line}:${r.column}`.length));
    const sevWidth = Math.max(...rows.map((r) => r.severity.length));
    const msgWidth = Math.max(...rows.map((r) => r.message.length));
    const srcWidth = Math.max(...rows.map((r) => r.source.length));
    out.push(c.underline(displayPath(f.file, report.cwd)));
    for (const r of rows) {
      const pos = `${r.line}:${r.column}`;
      const sev = colorSeverity(r.severity, c)(r.severity.padEnd(sevWidth));
      const cells = [
        '  ' + c.dim(' '.repeat(posWidth - pos.length) + pos),
        sev,
        r.message.padEnd(msgWidth),
        r.note ? c.dim(r.source.padEnd(srcWidth)) : c.dim(r.source),
      ];
      if (r.note) cells.push(c.green(r.note));
      out.push(cells.join('  ').trimEnd());
    }
    out.push('');
  }

  out.push(summaryLine(report, c));
  const skipped = report.files.filter((f) => f.skipped);
  if (skipped.length > 0) {
    out.push('', c.dim(`Skipped ${plural(skipped.length, 'file')}:`));
    for (const f of skipped) out.push(c.dim(`  ${displayPath(f.file, report.cwd)}: ${f.skipped}`));
  }
  return out.join('\n') + '\n';
}

function summaryLine(report: Report, c: Palette): string {
  const n = report.counts;
  const total = n.error + n.warning + n.info;
  const parts: string[] = [];
  if (total === 0) parts.push(c.green(`✔ No findings in ${plural(n.files, 'file')}`));
  else {
    const text = `✖ ${plural(total, 'finding')} (${plural(n.error, 'error')}, ${plural(n.warning, 'warning')}, ${n.info} info) in ${plural(n.files, 'file')}`;
    parts.push(c.bold(n.error > 0 ? c.red(text) : n.warning > 0 ? c.yellow(text) : c.blue(text)));
    parts.push(`${n.fixable} fixable`);
  }
  if (n.problems > 0) parts.push(c.yellow(plural(n.problems, 'parse problem')));
  if (n.skipped > 0) parts.push(`${n.skipped} skipped`);
  return parts.join(' · ');
}

function fixNote(titles: string[]): string {
  if (titles.length === 0) return '';
  const more = titles.length > 1 ? ` (+${titles.length - 1} more)` : '';
  return `(fix available: ${oneLine(titles[0])}${more})`;
}

function colorSeverity(s: Row['severity'], c: Palette): (t: string) => string {
  return s === 'error' ? c.red : s === 'warning' ? c.yellow : c.blue;
}

function oneLine(s: string): string {
  return s.replace(/\s*\r?\n\s*/g, ' ').trim();
}
