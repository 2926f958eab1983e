// Code that calls an AWS action its function's role does not grant fails at run time with
// AccessDenied; catch it while typing by joining the handler's SDK calls with the template.
import { defineRule, type Related } from '../api';
import { moduleSdkCalls } from '../aws/sdk-calls';
import { actionInfo } from '../aws/iam-data';
import { rolePermissions, grants } from '../iam/role-permissions';

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
    for (const call of moduleSdkCalls(handler)) {
      for (const action of call.actions) {
        if (!actionInfo(action)) continue; // not an action we can vouch for
        if (perms.some((p) => grants(p.perms.statements, action))) continue;
        const related: Related[] = perms.map(({ link }) => ({
          uri: link.template.uri, start: link.fn.keySpan.start, end: link.fn.keySpan.end,
          message: `function \`${link.fn.name}\` uses this handler; its role does not allow ${action}`,
        }));
        const names = perms.map((p) => `\`${p.link.fn.name}\``);
        ctx.report({
          messageId: 'missing',
          span: call.span,
          data: { action, who: names.length === 1 ? `function ${names[0]}` : `functions ${names.join(', ')}` },
          related,
        });
      }
    }
  },
});
