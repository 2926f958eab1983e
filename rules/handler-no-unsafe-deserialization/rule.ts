// Flags input given to deserializers that can rebuild functions: node-serialize `unserialize`,
// serialize-to-js, funcster, cryo, and js-yaml `load` with a schema that has JavaScript types.
import { defineRule } from '../api';
import { checkTaint } from '../taint/report';

export default defineRule({
  meta: {
    id: 'handler-no-unsafe-deserialization',
    description: 'Disallow deserializing event or request input with libraries that can rebuild functions in Lambda handlers.',
    category: 'input-validation',
    severity: 'error',
    targets: ['handler'],
    cwe: ['CWE-502'],
    sas: 'SAS-01',
    references: [
      'https://owasp.org/www-community/vulnerabilities/Deserialization_of_untrusted_data',
      'https://cheatsheetseries.owasp.org/cheatsheets/Deserialization_Cheat_Sheet.html',
      'https://github.com/nodeca/js-yaml#load-string---options-',
    ],
    messages: {
      deserialize: '`{source}`{at}{origin} is deserialized by `{callee}`, which can rebuild functions from the text; an attacker can run any code in the function. Parse it with JSON.parse (or js-yaml\'s default schema) and validate the result.',
      imported: '`{source}`{at}{origin} is passed to `{via}`, which deserializes it with functions allowed ({file}:{line}); an attacker can run any code in the function. Parse it with JSON.parse and validate the result.',
    },
  },
  check(ctx) {
    checkTaint(ctx, {
      families: ['deserialize'],
      sinkNote: (f) => `\`${f.sink.callee}\` deserializes it here`,
      report: (t) => ({ messageId: t.local ? 'deserialize' : 'imported', span: t.span }),
    });
  },
});
