// Flags regular expressions compiled from the handler's input (`new RegExp(input)`, a Mongo
// `$regex`) without escaping: an attacker picks a pattern that backtracks for seconds.
import { defineRule } from '../api';
import { checkTaint } from '../taint/report';

export default defineRule({
  meta: {
    id: 'handler-no-regex-injection',
    description: 'Disallow regular expressions built from unescaped event or request input in Lambda handlers.',
    category: 'input-validation',
    severity: 'warning',
    targets: ['handler'],
    cwe: ['CWE-1333'],
    sas: 'SAS-01',
    references: [
      'https://owasp.org/www-community/attacks/Regular_expression_Denial_of_Service_-_ReDoS',
      'https://github.com/sindresorhus/escape-string-regexp',
      'https://lodash.com/docs/#escapeRegExp',
    ],
    messages: {
      regex: '`{source}`{at}{origin} is compiled into a regular expression by `{callee}` without escaping; an attacker can send a pattern that backtracks for seconds (ReDoS) and keep the function busy until it times out. Escape it (escape-string-regexp, lodash escapeRegExp) or compare strings instead.',
      mongo: '`{source}`{at}{origin} is used as a `$regex` in the filter of `{callee}` without escaping; an attacker can send a pattern that keeps the database busy, or match every document. Escape it (escape-string-regexp, lodash escapeRegExp).',
      imported: '`{source}`{at}{origin} is passed to `{via}`, which compiles it into a regular expression ({file}:{line}); an attacker can send a pattern that backtracks for seconds (ReDoS). Escape it (escape-string-regexp, lodash escapeRegExp).',
    },
  },
  check(ctx) {
    checkTaint(ctx, {
      families: ['regex'],
      sinkNote: (f) => `\`${f.sink.callee}\` compiles the pattern here`,
      report: (t) => ({ messageId: !t.local ? 'imported' : t.flow.sink.detail === '$regex' ? 'mongo' : 'regex', span: t.span }),
    });
  },
});
