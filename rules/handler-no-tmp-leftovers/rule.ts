// /tmp survives between invocations in a warm environment: request data written there and never
// removed is readable by the next invocation and fills the (512 MB by default) disk.
import ts from 'typescript';
import { defineRule } from '../api';
import { syntaxIndex, callsWithin, calleeName } from '../handler/syntax-index';
import { handlerFunctions, requestBindings, usesAny } from '../handler/request-data';

const WRITES = /^(writeFile|writeFileSync|appendFile|appendFileSync|createWriteStream|copyFile|copyFileSync|outputFile|outputFileSync)$/;
const CLEANUPS = /^(unlink|unlinkSync|rm|rmSync|rmdir|rmdirSync|remove|removeSync|emptyDir|emptyDirSync)$/;

export default defineRule({
  meta: {
    id: 'handler-no-tmp-leftovers',
    description: 'Require handlers to remove the request data they write to /tmp.',
    category: 'config',
    severity: 'info',
    targets: ['handler'],
    cwe: ['CWE-459'],
    sas: 'SAS-12',
    references: ['https://docs.aws.amazon.com/lambda/latest/dg/configuration-ephemeral-storage.html', 'https://cwe.mitre.org/data/definitions/459.html'],
    messages: {
      leftover: 'Writes request data to /tmp and never removes it: the file stays for the next invocation (maybe another caller) and fills ephemeral storage. Delete it in a finally block.',
    },
  },
  check(ctx) {
    if (ctx.input.target !== 'handler') return;
    const model = ctx.input.handler;
    const sf = model.sf;
    const index = syntaxIndex(model);
    if (index.calls.some((n) => CLEANUPS.test(calleeName(n)))) return; // the module removes files somewhere; trust it
    for (const fn of handlerFunctions(model, ctx.workspace)) {
      if (!fn.body) continue;
      const request = requestBindings(fn);
      for (const n of callsWithin(index, fn.body)) {
        const target = n.arguments[0];
        if (WRITES.test(calleeName(n)) && target && isTmpPath(target, sf) && n.arguments.slice(1).some((a) => usesAny(a, request))) {
          ctx.report({ messageId: 'leftover', span: { start: n.getStart(sf), end: n.getEnd() } });
        }
      }
    }
  },
});

function isTmpPath(e: ts.Expression, sf: ts.SourceFile): boolean {
  const text = e.getText(sf);
  return /^['"`]\/tmp\//.test(text) || /tmpdir\(\)/.test(text) || /^path\.(join|resolve)\(\s*['"`]\/tmp['"`/]/.test(text);
}
