// Flags Allow statements written with NotAction or NotResource: both grant "everything except",
// so the grant grows whenever AWS adds an action or the account gains a resource.
import { cdkNotAction } from '../cdk/check';
import { defineRule } from '../api';
import type { StatementModel } from '../template/model';
import { getPair, spanOf, str, rawStr, items, intrinsic, type Document, type Node } from '../template/yaml';
import type { Span } from '../api';
import { describeGrantee, joinWords } from '../iam/statements';

export default defineRule({
  meta: {
    id: 'iam-no-not-action',
    description: 'Disallow IAM Allow statements that use `NotAction` or `NotResource`.',
    category: 'iam',
    severity: 'error',
    targets: ['template', 'handler'],
    cwe: ['CWE-250', 'CWE-269'],
    sas: 'SAS-04',
    references: [
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html',
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html',
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege',
    ],
    messages: {
      notAction: 'Allows {who} every action except {excluded}, on every service, including actions AWS adds later; list the actions it needs under `Action` instead.',
      notActionPrincipals: 'Allows the policy\'s principals every action on this resource except {excluded}, including actions AWS adds later; list the actions they need under `Action` instead.',
      notResource: 'Lets {who} apply {actions} to every resource except {excluded}, including resources created later; list the resources it needs under `Resource` instead.',
    },
  },
  check(ctx) {
    if (ctx.input.target === 'handler') return cdkNotAction(ctx);
    if (ctx.input.target !== 'template') return;
    const { doc } = ctx.input.template;
    for (const st of ctx.input.template.statements) {
      // Deny + NotAction ("deny everything but…") narrows access: the safe, common use.
      if (st.effect !== 'Allow') continue;
      // A resource or trust policy grants to its Principal, not to a role.
      const who = st.principal ? "the policy's principals" : describeGrantee(st.functions, st.origin, ctx.input.template);
      if (st.actionKey === 'NotAction') {
        const pair = getPair(st.node, 'NotAction', doc);
        const span = pair && keyOrValueSpan(ctx.text, pair.key, pair.value);
        if (span) ctx.report({ messageId: st.principal ? 'notActionPrincipals' : 'notAction', span, data: { excluded: listed(pair.value ?? undefined, doc), who } });
      }
      if (st.resourceKey === 'NotResource') {
        const pair = getPair(st.node, 'NotResource', doc);
        const span = pair && keyOrValueSpan(ctx.text, pair.key, pair.value);
        if (span) {
          ctx.report({
            messageId: 'notResource', span, severity: 'warning',
            data: { excluded: listed(pair.value ?? undefined, doc), who, actions: actionsOf(st) },
          });
        }
      }
    }
  },
});

/** The value when it sits on one line; the key when it is a block list (one line is easier to read). */
function keyOrValueSpan(text: string, key: unknown, value: unknown): Span | undefined {
  const v = spanOf(value);
  if (v && !text.slice(v.start, v.end).includes('\n')) return v;
  return spanOf(key) ?? v;
}

function listed(node: Node | undefined, doc: Document | undefined): string {
  // An intrinsic shows its `!Sub` text, or stays "a computed value".
  const names = items(node, doc).map((n) => str(n) ?? subText(n, doc));
  const shown = names.slice(0, 3).map((n) => (n === undefined ? 'a computed value' : `\`${n}\``));
  if (names.length > 3) shown.push(`${names.length - 3} more`);
  return shown.length ? joinWords(shown) : 'the listed items';
}

function subText(node: Node, doc: Document | undefined): string | undefined {
  const i = intrinsic(node, doc);
  return i?.fn === 'Fn::Sub' ? rawStr(i.arg) ?? rawStr(items(i.arg, doc)[0]) : undefined;
}

function actionsOf(st: StatementModel): string {
  if (st.actionKey === 'NotAction') return 'every action but the excluded ones';
  const names = st.actions.map((a) => a.value).filter((a): a is string => !!a);
  if (!names.length) return 'its actions';
  if (names.length > 3) return `${names.slice(0, 2).map((n) => `\`${n}\``).join(', ')} and ${names.length - 2} more actions`;
  return joinWords(names.map((n) => `\`${n}\``));
}
