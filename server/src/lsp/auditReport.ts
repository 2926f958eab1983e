// The audit totals as Markdown: what any client can show as the summary report.
import type { AuditResult } from './protocol';
import { docsUrl } from './protocol';
import { mdInline } from './markdown';

export function auditMarkdown(r: Omit<AuditResult, 'markdown'>): string {
  const out: string[] = ['# faaslint workspace audit', ''];
  if (r.cancelled) out.push('> The audit was cancelled: these totals cover the files read before that.', '');
  const sev = r.bySeverity;
  out.push(
    `**${r.findings} ${plural(r.findings, 'finding')}** in ${r.filesWithFindings} of ${r.files} ${plural(r.files, 'file')} ` +
      `(${sev.error} ${plural(sev.error, 'error')}, ${sev.warning} ${plural(sev.warning, 'warning')}, ${sev.info} info)` +
      `${r.skipped ? `; ${r.skipped} skipped` : ''}${r.filesWithProblems ? `; ${r.filesWithProblems} with parse problems` : ''}. ` +
      `Took ${(r.durationMs / 1000).toFixed(1)} s.`,
    '',
  );
  if (r.roots.length) out.push(`Folders: ${r.roots.map((x) => `\`${cell(x)}\``).join(', ')}`, '');
  else out.push('No workspace folder is open: nothing to audit.', '');
  if (r.findings === 0) {
    out.push('No findings.');
    routesSection(r, out);
    return out.join('\n') + '\n';
  }
  out.push('## By severity', '', '| Severity | Findings |', '| --- | ---: |');
  for (const s of ['error', 'warning', 'info'] as const) out.push(`| ${s} | ${sev[s]} |`);
  out.push('', '## By category', '', '| Category | Findings |', '| --- | ---: |');
  for (const [c, n] of Object.entries(r.byCategory).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) out.push(`| ${cell(c)} | ${n} |`);
  out.push('', '## By rule', '', '| Rule | Category | Findings |', '| --- | --- | ---: |');
  for (const [id, x] of Object.entries(r.byRule).sort((a, b) => b[1].count - a[1].count || a[0].localeCompare(b[0]))) {
    out.push(`| [${cell(id)}](${docsUrl(id)}) | ${cell(x.category)} | ${x.count} |`);
  }
  if (r.top.length) {
    out.push('', '## Top findings', '', '| Severity | Rule | Where | Message |', '| --- | --- | --- | --- |');
    for (const f of r.top) out.push(`| ${f.severity} | ${cell(f.ruleId)} | [${cell(f.path)}:${f.line}](${f.uri}#L${f.line}) | ${mdInline(f.message, true)} |`);
  }
  routesSection(r, out);
  return out.join('\n') + '\n';
}

/** Every HTTP route with its protection in the template and in the code. */
function routesSection(r: Omit<AuditResult, 'markdown'>, out: string[]): void {
  if (!r.routes.length) return;
  const open = r.routes.filter((x) => x.publicBothSides).length;
  out.push('', '## Routes', '', `${r.routes.length} ${plural(r.routes.length, 'route')}; ${open} state-changing ${plural(open, 'route')} public in both the template and the code.`, '');
  out.push('| Method | Path | Function | Template auth | Identity checked in code | |', '| --- | --- | --- | --- | --- | --- |');
  for (const x of r.routes) {
    const code = x.handlerChecksIdentity === null ? 'handler not found' : x.handlerChecksIdentity ? 'yes' : 'no';
    out.push(`| ${cell(x.method)} | ${cell(x.path)} | [${cell(x.function || '—')}](${x.uri}#L${x.line}) | ${cell(x.detail)} | ${code} | ${x.publicBothSides ? '⚠ public' : ''} |`);
  }
}

function plural(n: number, word: string): string {
  return n === 1 ? word : word + 's';
}

/** Table cells hold plain text on one line. */
function cell(text: string): string {
  return mdInline(text.replace(/`/g, "'"), true);
}
