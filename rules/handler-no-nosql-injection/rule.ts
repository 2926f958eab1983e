// Flags NoSQL queries the handler's input can reshape: Mongo filters that take parsed JSON as
// is (operator injection, `{"$ne": null}`), `$where` JavaScript, and DynamoDB expressions or
// PartiQL statements built by concatenation.
import { defineRule } from '../api';
import { checkTaint } from '../taint/report';

export default defineRule({
  meta: {
    id: 'handler-no-nosql-injection',
    description: 'Disallow NoSQL queries (Mongo filters, DynamoDB expressions) shaped by event or request input in Lambda handlers.',
    category: 'input-validation',
    severity: 'error',
    targets: ['handler'],
    cwe: ['CWE-943'],
    sas: 'SAS-01',
    references: [
      'https://owasp.org/www-project-web-security-testing-guide/latest/4-Web_Application_Security_Testing/07-Input_Validation_Testing/05.6-Testing_for_NoSQL_Injection',
      'https://cheatsheetseries.owasp.org/cheatsheets/Injection_Prevention_Cheat_Sheet.html',
      'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ExpressionAttributeValues.html',
    ],
    messages: {
      object: '`{source}`{at}{origin} is parsed input that can be an object, and goes into the filter of `{callee}` as is; an attacker can send operators such as `{"$ne": null}` to match any document. Convert it with String() or check `typeof` first.',
      where: '`{source}`{at}{origin} is part of the `$where` JavaScript of `{callee}`; an attacker can run code in the database query. Use query operators instead of `$where`.',
      expression: '`{source}`{at}{origin} is built into the `{detail}` of `{callee}`; an attacker can change which items match or what is written. Put values in ExpressionAttributeValues (`:v`) and names in ExpressionAttributeNames (`#n`).',
      statement: '`{source}`{at}{origin} is built into the PartiQL `Statement` of `{callee}`; an attacker can change which items are read or written. Use `?` placeholders and pass the values in `Parameters`.',
      imported: '`{source}`{at}{origin} is passed to `{via}`, which builds a database query from it ({file}:{line}); an attacker can change what the query matches. Pass values separately (ExpressionAttributeValues, String() for Mongo filters).',
    },
  },
  check(ctx) {
    checkTaint(ctx, {
      families: ['object', 'nosql'],
      sinkNote: (f) => `\`${f.sink.callee}\` runs the query here`,
      report: (t) => {
        if (!t.local) return { messageId: 'imported', span: t.span };
        const d = t.flow.sink.detail;
        const messageId = t.flow.sink.family === 'object' ? 'object' : d === '$where' ? 'where' : d === 'Statement' ? 'statement' : 'expression';
        return { messageId, span: t.span };
      },
    });
  },
});
