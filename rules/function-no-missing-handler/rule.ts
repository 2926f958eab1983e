// A handler path that matches no file, or an export the module does not have, deploys fine and
// fails on the first invocation (Runtime.HandlerNotFound / ImportModuleError).
import { defineRule } from '../api';

export default defineRule({
  meta: {
    id: 'function-no-missing-handler',
    description: 'Disallow template functions whose handler file or export does not exist.',
    category: 'config',
    severity: 'error',
    targets: ['template'],
    fix: 'suggestion',
    cwe: ['CWE-1164'],
    sas: 'SAS-11',
    references: ['https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html'],
    messages: {
      noFile: 'Handler `{handler}` of function `{fn}` matches no file under `{dir}` (tried .js, .mjs, .cjs, .ts): every invocation will fail with Runtime.ImportModuleError.',
      noExport: '`{file}` has no export `{export}`{others}: every invocation of `{fn}` will fail with Runtime.HandlerNotFound.',
    },
  },
  check(ctx) {
    if (ctx.input.target !== 'template') return;
    const t = ctx.input.template;
    for (const fn of t.functions) {
      const h = fn.handler;
      if (!h?.value) continue;
      const status = ctx.workspace.handlerStatus(t, fn);
      if (status === 'missing') {
        ctx.report({ messageId: 'noFile', span: h.span, data: { handler: h.value, fn: fn.name, dir: fn.codeDir || './' } });
        continue;
      }
      if (status !== 'found') continue;
      const linked = ctx.workspace.handlerFor(t, fn);
      if (!linked || !linked.model.exportsComplete || linked.model.exports.has(linked.exportName)) continue;
      const fnExports = [...linked.model.exports.values()].filter((e) => e.fn || e.wrapper).map((e) => e.name);
      const rel = linked.uri.split(/[\\/]/).slice(-2).join('/');
      const fixes = fnExports.length === 1 && fnExports[0] !== 'default'
        ? [{
          title: `Point the handler at the export \`${fnExports[0]}\``,
          kind: 'suggestion' as const,
          edits: [{ start: h.span.start, end: h.span.end, newText: replaceExport(ctx.text.slice(h.span.start, h.span.end), linked.exportName, fnExports[0]) }],
        }]
        : [];
      ctx.report({
        messageId: 'noExport',
        span: h.span,
        data: { file: rel, export: linked.exportName, fn: fn.name, others: fnExports.length ? ` (it exports ${fnExports.map((n) => `\`${n}\``).join(', ')})` : '' },
        fixes,
      });
    }
  },
});

/** Replaces the trailing `.export` of a handler string, keeping its quotes. */
function replaceExport(raw: string, from: string, to: string): string {
  const i = raw.lastIndexOf(`.${from}`);
  return i === -1 ? raw : raw.slice(0, i + 1) + to + raw.slice(i + 1 + from.length);
}
