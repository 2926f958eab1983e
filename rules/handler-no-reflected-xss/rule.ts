// Flags HTML responses built from the handler's input without escaping: a Lambda proxy response
// with an HTML Content-Type, or express `res.send` of markup (or after `res.type('html')`).
import { defineRule } from '../api';
import { checkTaint } from '../taint/report';

export default defineRule({
  meta: {
    id: 'handler-no-reflected-xss',
    description: 'Disallow HTML responses built from unescaped event or request input in Lambda handlers.',
    category: 'input-validation',
    severity: 'warning',
    targets: ['handler'],
    cwe: ['CWE-79'],
    sas: 'SAS-01',
    references: [
      'https://owasp.org/www-community/attacks/xss/',
      'https://cheatsheetseries.owasp.org/cheatsheets/Cross_Site_Scripting_Prevention_Cheat_Sheet.html',
      'https://github.com/component/escape-html',
    ],
    messages: {
      body: '`{source}`{at}{origin} is written into this HTML response without escaping; an attacker can craft a link that runs script in your users\' browsers on your domain. Escape it (escape-html, he.encode) or render with a template engine that escapes.',
      send: '`{source}`{at}{origin} is written into the HTML that `{callee}` sends, without escaping; an attacker can craft a link that runs script in your users\' browsers on your domain. Escape it (escape-html, he.encode) or render with a template engine that escapes.',
      imported: '`{source}`{at}{origin} is passed to `{via}`, which writes it into an HTML response ({file}:{line}); an attacker can run script in your users\' browsers. Escape it (escape-html, he.encode).',
    },
  },
  check(ctx) {
    checkTaint(ctx, {
      families: ['html'],
      sinkNote: (f) => (f.sink.kind === 'HTML response' ? 'the HTML response is built here' : `\`${f.sink.callee}\` sends the HTML here`),
      report: (t) => ({ messageId: !t.local ? 'imported' : t.flow.sink.kind === 'HTML response' ? 'body' : 'send', span: t.span }),
    });
  },
});
