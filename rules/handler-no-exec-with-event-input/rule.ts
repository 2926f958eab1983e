// Flags shell commands built from the handler's input (the Lambda event, or `req` of an express
// app behind serverless-http): command injection. Flows come from the shared taint analysis;
// this rule picks the shell sinks, names the template event that delivers the input, and offers
// the execFile rewrite when it is exact.
import ts from 'typescript';
import { defineRule, type Fix } from '../api';
import { checkTaint, callAt } from '../taint/report';
import { execFileFix } from './fix';

export default defineRule({
  meta: {
    id: 'handler-no-exec-with-event-input',
    description: 'Disallow shell commands built from event or request input in Lambda handlers.',
    category: 'input-validation',
    severity: 'error',
    targets: ['handler'],
    fix: 'suggestion',
    cwe: ['CWE-78'],
    sas: 'SAS-01',
    references: [
      'https://owasp.org/www-community/attacks/Command_Injection',
      'https://cheatsheetseries.owasp.org/cheatsheets/OS_Command_Injection_Defense_Cheat_Sheet.html',
      'https://nodejs.org/api/child_process.html#spawning-shell-scripts',
    ],
    messages: {
      shell: '`{source}`{at}{origin} reaches a shell command; an attacker can run any command. Pass arguments as an array to execFile without a shell.',
      program: '`{source}`{at}{origin} chooses the program `{callee}` runs; an attacker can run any program. Use a fixed program name and pass input only as arguments.',
      imported: '`{source}`{at}{origin} is passed to `{via}`, which runs it in a shell command ({file}:{line}); an attacker can run any command. Pass arguments as an array to execFile without a shell.',
    },
  },
  check(ctx) {
    checkTaint(ctx, {
      families: ['shell'],
      // Per sink call, the most telling flow first: injection into a shell, then the command argument.
      rank: (f) => Number(!f.sink.shell) * 100 + f.sink.argIndex,
      sinkNote: (f) => `\`${f.sink.callee}\` runs a shell command here`,
      report: (t) => {
        if (!t.local) return { messageId: 'imported', span: t.span };
        const fixes: Fix[] = [];
        if (t.flow.sink.shell && t.flow.sink.argIndex === 0) {
          const call = callAt(t.model.sf, t.span);
          const fix = call && ts.isCallExpression(call) ? execFileFix(t.model, call) : undefined;
          if (fix) fixes.push(fix);
        }
        return { messageId: t.flow.sink.shell ? 'shell' : 'program', span: t.span, fixes };
      },
    });
  },
});
