// Flags the IAM, Lambda and STS actions that let a principal give itself more permissions than
// it was granted (the known privilege-escalation paths), named or reached through a pattern.
import { defineRule } from '../api';
import type { StatementModel, ValueRef } from '../template/model';
import { describeGrantee, expandItem, isIdentityAllow, isWholeServiceWildcard, joinWords } from '../iam/statements';
import { CREATE_ROLE, CREATE_ROLE_PATH, ESCALATION_PATHS, describePaths, type EscalationPath } from '../iam/escalation';

export default defineRule({
  meta: {
    id: 'iam-no-privilege-escalation',
    description: 'Disallow IAM Allow statements that grant privilege-escalation actions (policy writes, `iam:PassRole` on `*`, …).',
    category: 'iam',
    severity: 'error',
    targets: ['template'],
    cwe: ['CWE-269', 'CWE-250'],
    sas: 'SAS-04',
    references: [
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html',
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html',
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege',
      'https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html',
    ],
    messages: {
      escalation: '`{action}` lets {subject} {paths}: a privilege-escalation path to any permission. Keep IAM changes in the deployment pipeline, or scope Resource and add a permissions boundary.',
      everyResource: '`{action}` on {target} (`{resource}`) lets {subject} {paths}: a privilege-escalation path. Scope Resource to the exact ARNs it needs.',
    },
  },
  check(ctx) {
    if (ctx.input.target !== 'template') return;
    const template = ctx.input.template;
    const statements = template.statements.filter(isIdentityAllow);
    for (const st of statements) {
      const all = resourceCoveringAll(st);
      for (const item of st.actions) {
        const v = item.value?.trim();
        // `*` and `iam:*` are already errors of iam-no-wildcard-action; saying it twice adds nothing.
        if (!v || isWholeServiceWildcard(v)) continue;
        const paths: EscalationPath[] = [];
        for (const info of expandItem(v)) {
          const name = info.action.toLowerCase();
          const path = ESCALATION_PATHS[name];
          if (path && (path.when === 'any' || all)) paths.push(path);
          else if (name === CREATE_ROLE && passesWildcardRoles(st, statements)) paths.push(CREATE_ROLE_PATH);
        }
        if (!paths.length) continue;
        const phrases = describePaths(paths);
        const shown = phrases.length > 3 ? [...phrases.slice(0, 3), `${phrases.length - 3} more`] : phrases;
        ctx.report({
          messageId: paths.some((p) => p.when === 'any') ? 'escalation' : 'everyResource',
          span: item.span,
          data: {
            action: v,
            subject: describeGrantee(st.functions, st.origin, template),
            paths: joinWords(shown, 'or'),
            resource: all?.value ?? '*',
            target: targetOf(all),
          },
        });
      }
    }
  },
});

/** The Resource item that covers every role or function: `*`, `arn:…:role/*`, `arn:…:function:*`. */
function resourceCoveringAll(st: StatementModel): ValueRef | undefined {
  if (st.resourceKey !== 'Resource') return undefined;
  return st.resources.find((r) => {
    const v = r.value?.trim();
    return v !== undefined && (v === '*' || /:(role\/|function:)\*$/.test(v));
  });
}

function targetOf(r: ValueRef | undefined): string {
  const v = r?.value ?? '*';
  if (v.endsWith(':role/*')) return 'every role';
  if (v.endsWith(':function:*')) return 'every function';
  return 'every resource';
}

/** Does the same grantee (this statement, or one for the same functions / role) pass roles matched by a wildcard? */
function passesWildcardRoles(st: StatementModel, all: StatementModel[]): boolean {
  const sameGrantee = (o: StatementModel) =>
    o === st || (st.functions.length ? o.functions.some((f) => st.functions.includes(f)) : granteeOf(o) === granteeOf(st));
  const grantsPassRole = (o: StatementModel) => o.actions.some((a) => {
    const v = a.value?.trim() ?? '';
    return /^(\*|iam:\*)$/i.test(v) || expandItem(v).some((i) => i.action.toLowerCase() === 'iam:passrole');
  });
  return all.some((o) => sameGrantee(o) && grantsPassRole(o) && o.resources.some((r) => r.value?.includes('*')));
}

/** `provider` for Serverless shared-role statements, else `Resources.<Id>`. */
function granteeOf(st: StatementModel): string {
  return st.origin.startsWith('provider.') ? 'provider' : st.origin.split('.').slice(0, 2).join('.');
}
