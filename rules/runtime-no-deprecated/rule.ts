// Deprecated Lambda runtimes get no security patches; soon-deprecated ones are worth planning for.
import { defineRule } from '../api';
import { RUNTIMES, LATEST } from './runtimes';

const SOON_DAYS = 180;

export default defineRule({
  meta: {
    id: 'runtime-no-deprecated',
    description: 'Disallow deprecated and soon-deprecated Lambda runtimes.',
    category: 'runtime',
    severity: 'error',
    targets: ['template'],
    fix: 'suggestion',
    cwe: ['CWE-1104'],
    sas: 'SAS-06',
    references: ['https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html', 'https://docs.aws.amazon.com/lambda/latest/dg/runtime-support-policy.html'],
    messages: {
      deprecated: '`{runtime}`{who} has been deprecated since {date}: it no longer gets security patches, and AWS will block updates to the function. Move to `{latest}`.',
      soon: '`{runtime}`{who} will be deprecated on {date}, in {days} days: plan the move to `{latest}`.',
    },
  },
  check(ctx) {
    if (ctx.input.target !== 'template') return;
    const t = ctx.input.template;
    // One finding per runtime value: a provider or Globals runtime is shared by many functions.
    const byNode = new Map<unknown, { span: { start: number; end: number }; value: string; fns: string[] }>();
    for (const fn of t.functions) {
      const r = fn.runtime;
      if (!r?.value) continue;
      const entry = byNode.get(r.node) ?? { span: r.span, value: r.value.trim(), fns: [] };
      entry.fns.push(fn.name);
      byNode.set(r.node, entry);
    }
    for (const { span, value, fns } of byNode.values()) {
      const info = RUNTIMES[value];
      if (!info?.deprecated) continue;
      const days = Math.ceil((Date.parse(info.deprecated) - ctx.now.getTime()) / 86_400_000);
      if (days > SOON_DAYS) continue;
      const latest = LATEST[info.language];
      const who = fns.length === 1 ? ` (function \`${fns[0]}\`)` : ` (used by ${fns.length} functions)`;
      ctx.report({
        messageId: days <= 0 ? 'deprecated' : 'soon',
        span,
        severity: days <= 0 ? 'error' : 'warning',
        data: { runtime: value, date: info.deprecated, who, latest, days },
        fixes: latest && latest !== value ? [{ title: `Change the runtime to ${latest}`, kind: 'suggestion', edits: [{ ...span, newText: ctx.text[span.start] === '"' ? JSON.stringify(latest) : latest }] }] : [],
      });
    }
  },
});
