// Flags code built from the handler's input: `eval`, `new Function`, the vm module, timers given
// a string, and `require`/`import` of a module the input names.
import { defineRule } from '../api';
import { checkTaint } from '../taint/report';

export default defineRule({
  meta: {
    id: 'handler-no-code-injection',
    description: 'Disallow evaluating code or loading modules named by event or request input in Lambda handlers.',
    category: 'input-validation',
    severity: 'error',
    targets: ['handler'],
    cwe: ['CWE-94'],
    sas: 'SAS-01',
    references: [
      'https://owasp.org/www-community/attacks/Code_Injection',
      'https://cheatsheetseries.owasp.org/cheatsheets/Nodejs_Security_Cheat_Sheet.html#avoid-eval',
      'https://nodejs.org/api/vm.html#vm-executing-javascript',
    ],
    messages: {
      code: '`{source}`{at}{origin} is run as JavaScript by `{callee}`; an attacker can run any code in the function, with its role, its secrets and its network access. Parse data with JSON.parse, or pick behaviour from a fixed table.',
      module: '`{source}`{at}{origin} names the module `{callee}` loads; an attacker can load any file or package the function can reach, and run its top-level code. Map the allowed names to modules in a fixed table.',
      imported: '`{source}`{at}{origin} is passed to `{via}`, which runs it as code ({file}:{line}); an attacker can run any code in the function. Parse data with JSON.parse, or pick behaviour from a fixed table.',
    },
  },
  check(ctx) {
    checkTaint(ctx, {
      families: ['code'],
      sinkNote: (f) => (f.sink.detail === 'module' ? `\`${f.sink.callee}\` loads the module here` : `\`${f.sink.callee}\` runs the code here`),
      report: (t) => ({ messageId: !t.local ? 'imported' : t.flow.sink.detail === 'module' ? 'module' : 'code', span: t.span }),
    });
  },
});
