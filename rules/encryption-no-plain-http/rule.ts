// Outbound calls over plain http:// send the request (tokens, personal data) unencrypted.
import ts from 'typescript';
import { defineRule } from '../api';
import { syntaxIndex } from '../handler/syntax-index';

const CLIENT_CALL = /^(fetch|get|post|put|patch|delete|request|head|axios|got|ky|needle|superagent)$/;
const LOCAL = /^http:\/\/(localhost|127\.\d+\.\d+\.\d+|\[::1\]|0\.0\.0\.0|169\.254\.169\.254|169\.254\.170\.2|host\.docker\.internal)(?=[:/]|$)/i;

export default defineRule({
  meta: {
    id: 'encryption-no-plain-http',
    description: 'Disallow outbound requests to plain http:// endpoints from handler code.',
    category: 'encryption',
    severity: 'warning',
    targets: ['handler'],
    fix: 'suggestion',
    cwe: ['CWE-319'],
    sas: 'SAS-03',
    references: ['https://cwe.mitre.org/data/definitions/319.html'],
    messages: {
      plain: 'Calls `{url}` over plain HTTP: the request and its credentials travel unencrypted and can be read or changed on the way. Use https://.',
    },
  },
  check(ctx) {
    if (ctx.input.target !== 'handler') return;
    const sf = ctx.input.handler.sf;
    for (const n of syntaxIndex(ctx.input.handler).calls) {
      const callee = n.expression;
      const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
      if (CLIENT_CALL.test(name)) {
        const arg = n.arguments[0];
        const lit = arg && (ts.isStringLiteralLike(arg) ? arg : ts.isTemplateExpression(arg) ? arg.head : undefined);
        const text = lit?.text ?? '';
        if (lit && /^http:\/\/[^\s]/i.test(text) && !LOCAL.test(text)) {
          const start = lit.getStart(sf) + 1;
          ctx.report({
            messageId: 'plain',
            span: { start, end: start + Math.min(text.length, ts.isStringLiteralLike(lit) ? text.length : text.length) },
            data: { url: text.slice(0, 60) },
            fixes: [{ title: 'Use https://', kind: 'suggestion', edits: [{ start, end: start + 'http://'.length, newText: 'https://' }] }],
          });
        }
      }
    }
  },
});
