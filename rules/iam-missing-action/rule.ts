// Code that calls an AWS action its function's role does not grant fails at run time with
// AccessDenied; catch it while typing by joining the handler's SDK calls with the template.
import { defineRule, type Related } from '../api';
import ts from 'typescript';
import { moduleSdkCalls, type SdkCall } from '../aws/sdk-calls';
import { actionInfo } from '../aws/iam-data';
import { rolePermissions, grants } from '../iam/role-permissions';
import { reach, statementAt } from '../handler/reach';

function insideFunction(n: ts.Node): boolean {
  for (let p = n.parent; p && !ts.isSourceFile(p); p = p.parent) if (ts.isFunctionLike(p)) return true;
  return false;
}

/** Functions named in a message (and pointed at), the rest counted. */
const MAX_NAMED = 3;

export default defineRule({
  meta: {
    id: 'iam-missing-action',
    description: 'Require the function role to grant every AWS action its handler code calls.',
    category: 'iam',
    severity: 'warning',
    targets: ['handler'],
    cwe: ['CWE-754'],
    sas: 'SAS-04',
    references: [
      'https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html',
      'https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html',
    ],
    messages: {
      missing: 'This call needs `{action}`, which the role of {who} does not grant: it will fail with AccessDenied once deployed. Add it to the role, scoped to the resource it uses.',
    },
  },
  check(ctx) {
    if (ctx.input.target !== 'handler') return;
    const handler = ctx.input.handler;
    const links = ctx.workspace.functionsFor(handler);
    if (!links.length) return;
    // Every linked function must have a fully known role; a call is reported only when none of
    // them grants it (a module shared by several functions may serve only some of them).
    const perms = links.map((l) => ({ link: l, perms: rolePermissions(l.template, l.fn) }));
    if (perms.some((p) => !p.perms.known)) return;
    // A module may hold the handlers of several functions: a call concerns the functions whose
    // handler can reach it (by name, see handler/reach.ts); an export we cannot follow reaches all.
    const reaches = new Map(perms.map((p) => {
      const exp = handler.exports.get(p.link.exportName);
      const node = exp?.fn ?? exp?.node;
      return [p, node ? reach(handler.sf, node).statements : undefined] as const;
    }));
    const byStatement = new Map<unknown, typeof perms>();
    const concerned = (call: SdkCall): typeof perms => {
      // Code outside any function runs when the module loads, for every function using it.
      if (!insideFunction(call.node)) return perms;
      const st = statementAt(handler.sf, call.span.start);
      let out = byStatement.get(st);
      if (!out) byStatement.set(st, (out = perms.filter((p) => !st || !reaches.get(p) || reaches.get(p)!.has(st))));
      return out;
    };
    for (const call of moduleSdkCalls(handler)) {
      const who = concerned(call);
      if (!who.length) continue; // code no linked handler runs
      for (const action of call.actions) {
        if (!actionInfo(action)) continue; // not an action we can vouch for
        if (who.some((p) => grants(p.perms.statements, action))) continue;
        const shown = who.slice(0, MAX_NAMED);
        const related: Related[] = shown.map(({ link }) => ({
          uri: link.template.uri, start: link.fn.keySpan.start, end: link.fn.keySpan.end,
          message: `function \`${link.fn.name}\` uses this handler; its role does not allow ${action}`,
        }));
        const names = shown.map((p) => `\`${p.link.fn.name}\``);
        const more = who.length - shown.length;
        ctx.report({
          messageId: 'missing',
          span: call.span,
          data: {
            action,
            who: (who.length === 1 ? `function ${names[0]}` : `functions ${names.join(', ')}`) + (more ? ` and ${more} more` : ''),
          },
          related,
        });
      }
    }
  },
});
