// Logging the whole event, its headers or the environment copies tokens, cookies, API keys and
// personal data into CloudWatch Logs, where far more people and tools can read them.
import ts from 'typescript';
import { defineRule } from '../api';
import { syntaxIndex } from '../handler/syntax-index';
import { handlerFunctions } from '../handler/request-data';

const LOG_METHODS = /^(log|info|warn|error|debug|trace|dir)$/;
const LOGGERS = /^(console|logger|log|pino|winston|bunyan|powertoolsLogger)$/i;

export default defineRule({
  meta: {
    id: 'logging-no-sensitive-dump',
    description: 'Disallow logging the whole event, request headers or process.env.',
    category: 'logging',
    severity: 'warning',
    targets: ['handler'],
    cwe: ['CWE-532'],
    sas: 'SAS-05',
    references: ['https://cwe.mitre.org/data/definitions/532.html', 'https://docs.aws.amazon.com/lambda/latest/dg/nodejs-logging.html'],
    messages: {
      event: 'Logs the whole event `{expr}`: events carry tokens, cookies, message bodies and personal data, which then sit in CloudWatch Logs. Log the fields you need.',
      headers: 'Logs the request headers `{expr}`: they carry Authorization tokens, cookies and API keys. Log selected headers only.',
      env: 'Logs `process.env`: every secret passed through environment variables lands in CloudWatch Logs.',
    },
  },
  check(ctx) {
    if (ctx.input.target !== 'handler') return;
    const model = ctx.input.handler;
    const sf = model.sf;
    if (!handlerFunctions(model, ctx.workspace).length) return; // not a handler module
    // The event parameter names of exported handlers (`event`, `evt`, …); `req` for express handlers.
    const eventNames = new Set<string>(['req', 'request']);
    for (const e of model.exports.values()) {
      const p = e.fn?.parameters[0]?.name;
      if (p && ts.isIdentifier(p)) eventNames.add(p.text);
    }
    if (eventNames.size === 2) eventNames.add('event');
    const classify = (arg: ts.Expression): 'event' | 'headers' | 'env' | undefined => {
      let e = arg;
      // JSON.stringify(x, …) / util.inspect(x) / `${x}` with one span
      if (ts.isCallExpression(e) && /^(JSON\.stringify|util\.inspect|inspect)$/.test(e.expression.getText(sf)) && e.arguments[0]) e = e.arguments[0];
      if (ts.isTemplateExpression(e) && e.templateSpans.length === 1) e = e.templateSpans[0].expression;
      if (ts.isObjectLiteralExpression(e) && e.properties.length === 1) {
        const p = e.properties[0];
        if (ts.isShorthandPropertyAssignment(p)) e = p.name;
        else if (ts.isPropertyAssignment(p)) e = p.initializer;
      }
      if (ts.isIdentifier(e) && eventNames.has(e.text)) return 'event';
      if (ts.isPropertyAccessExpression(e)) {
        const t = e.getText(sf);
        if (t === 'process.env') return 'env';
        if (/^(headers|multiValueHeaders|cookies)$/.test(e.name.text) && ts.isIdentifier(e.expression) && eventNames.has(e.expression.text)) return 'headers';
      }
      return undefined;
    };
    for (const n of syntaxIndex(model).calls) {
      if (ts.isPropertyAccessExpression(n.expression) && LOG_METHODS.test(n.expression.name.text)) {
        const target = n.expression.expression;
        const loggerName = ts.isIdentifier(target) ? target.text : ts.isPropertyAccessExpression(target) ? target.name.text : '';
        if (LOGGERS.test(loggerName)) {
          for (const arg of n.arguments) {
            const kind = classify(arg);
            if (!kind) continue;
            ctx.report({ messageId: kind, span: { start: arg.getStart(sf), end: arg.getEnd() }, data: { expr: arg.getText(sf).slice(0, 60) } });
          }
        }
      }
    }
  },
});
