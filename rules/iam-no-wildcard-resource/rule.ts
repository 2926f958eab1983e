// Flags `Resource: '*'` on Allow statements that write: a function that may put, delete or
// reconfigure *any* bucket, queue or table turns one bug into an account-wide incident.
import { defineRule, type Fix, type Related, type RuleContext } from '../api';
import type { StatementModel, TemplateModel } from '../template/model';
import { planResources, describeScope } from '../iam/least-privilege';
import { splitStatementEdit, type NewStatement } from '../iam/statement-edit';
import type { ActionInfo } from '../aws/iam-data';
import type { Document } from '../template/yaml';
import { describeGrantee, expandItem, isIdentityAllow, isPlural, wildcardResources } from '../iam/statements';
import { conditionEntries } from '../iam/conditions';
import { ESCALATION_PATHS } from '../iam/escalation';

/**
 * Write actions granted on `*` that are not worth a finding: what every function needs to log,
 * what a VPC function needs for its network interfaces (AWS's own AWSLambdaBasicExecutionRole and
 * AWSLambdaVPCAccessExecutionRole grant these on `*`), and metrics, whose resource type is
 * optional and which are scoped with the `cloudwatch:namespace` condition instead.
 */
const EXPECTED_ON_STAR = new Set([
  'logs:createloggroup', 'logs:createlogstream', 'logs:putlogevents',
  'ec2:createnetworkinterface', 'ec2:deletenetworkinterface',
  'ec2:assignprivateipaddresses', 'ec2:unassignprivateipaddresses',
  'cloudwatch:putmetricdata',
  // Also granted on `*` by AWSLambdaBasicDurableExecutionRolePolicy and
  // AmazonS3ObjectLambdaExecutionRolePolicy: a function answering its own requests.
  'lambda:checkpointdurableexecution', 's3-object-lambda:writegetobjectresponse',
]);

const TAGGING = /^(Tag|Untag|AddTags|RemoveTags|CreateTags|DeleteTags)/;

/** Condition keys that say nothing about which resources are touched. */
const NON_SCOPING_KEYS = new Set([
  'aws:securetransport', 'aws:multifactorauthpresent', 'aws:multifactorauthage',
  'aws:currenttime', 'aws:epochtime', 'aws:tokenissuetime',
]);

export default defineRule({
  meta: {
    id: 'iam-no-wildcard-resource',
    description: 'Disallow IAM Allow statements that grant write or permissions-management actions on every resource (`*`).',
    category: 'iam',
    severity: 'warning',
    targets: ['template'],
    fix: 'suggestion',
    cwe: ['CWE-732', 'CWE-269'],
    sas: 'SAS-04',
    references: [
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege',
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html',
      'https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html',
    ],
    messages: {
      few: 'Grants {actions} on every resource (`*`); scope Resource to the ARNs {subject} {needs}.',
      many: 'Grants {count} write actions ({actions}) on every resource (`*`); scope Resource to the ARNs {subject} {needs}.',
    },
  },
  check(ctx) {
    if (ctx.input.target !== 'template') return;
    const { doc } = ctx.input.template;
    const hasTopic = ctx.input.template.resources.some((r) => r.type === 'AWS::SNS::Topic');
    for (const st of ctx.input.template.statements) {
      if (!isIdentityAllow(st)) continue;
      const star = wildcardResources(st)[0];
      if (!star || scopedByCondition(st, doc)) continue;
      const offending = offendingActions(st, hasTopic);
      if (!offending.actions.size) continue;
      const subject = describeGrantee(st.functions, st.origin, ctx.input.template);
      const needs = isPlural(st.functions) ? 'need' : 'needs';
      const exact = offending.items.every((i) => !i.includes('*') && !i.includes('?'));
      const shown = offending.items.slice(0, 3).join(', ') + (offending.items.length > 3 ? ', …' : '');
      const scoped = exact ? scopeFromCode(ctx, ctx.input.template, st, [...offending.actions.values()].map((a) => a.action)) : undefined;
      ctx.report({
        messageId: exact && offending.actions.size <= 3 ? 'few' : 'many',
        span: star.span,
        data: { actions: shown, count: offending.actions.size, subject, needs },
        fixes: scoped ? [scoped.fix] : [],
        related: scoped?.related ?? [],
      });
    }
  },
});

/**
 * Replaces `*` by the resources the functions' code uses each write action on, one statement per
 * resource set; actions that need no resource (or that no code calls) keep `*`. Offered only when
 * every offending action is resolved, so that the fix leaves no write on `*` behind.
 */
function scopeFromCode(ctx: RuleContext, t: TemplateModel, st: StatementModel, offending: string[]): { fix: Fix; related: Related[] } | undefined {
  if (st.resources.length !== 1 || st.actions.some((a) => a.value === undefined)) return undefined;
  const written = st.actions.map((a) => a.value!.trim());
  const plan = planResources(ctx.workspace, t, st, written);
  if (!plan || !plan.groups.length) return undefined;
  const scoped = new Set(plan.groups.flatMap((g) => g.actions.map((a) => a.toLowerCase())));
  if (!offending.every((a) => scoped.has(a.toLowerCase()))) return undefined;
  const statements: NewStatement[] = plan.groups.map((g) => ({ actions: g.actions, arns: g.arns }));
  if (plan.rest.length) statements.push({ actions: plan.rest, arns: [], keep: true });
  const edit = splitStatementEdit(t, st, statements);
  if (!edit) return undefined;
  const shared = st.functions.length > 1 ? ` (union over ${st.functions.length} functions sharing the role)` : '';
  const kept = plan.rest.length ? `; ${plan.rest.join(', ')} keep${plan.rest.length === 1 ? 's' : ''} \`*\`` : '';
  return {
    fix: { title: `Scope \`*\` to the ${describeScope(plan.groups)} the code uses these actions on${shared}${kept}`, kind: 'suggestion', edits: [edit] },
    related: plan.related,
  };
}

/** The statement's action items (as written) that grant resource-scopable writes, and those actions. */
function offendingActions(st: StatementModel, hasTopic: boolean): { items: string[]; actions: Map<string, ActionInfo> } {
  const items: string[] = [];
  const actions = new Map<string, ActionInfo>();
  for (const a of st.actions) {
    const v = a.value?.trim();
    if (!v) continue;
    const hits = expandItem(v).filter((i) => {
      const name = i.action.toLowerCase();
      if (i.level !== 'Write' && i.level !== 'Permissions management') return false;
      // Tagging is its own access level; the table files it under Write, so tell it by name.
      if (TAGGING.test(i.action.split(':')[1])) return false;
      if (!i.resourceLevel || EXPECTED_ON_STAR.has(name)) return false;
      // PassRole, AssumeRole, lambda:Update* on `*`: iam-no-privilege-escalation's error says more.
      if (ESCALATION_PATHS[name]) return false;
      // Texting a phone number has no ARN, so it needs `*`; with no topic in the template, assume SMS.
      return name !== 'sns:publish' || hasTopic;
    });
    if (!hits.length) continue;
    if (!items.includes(v)) items.push(v);
    for (const h of hits) actions.set(h.action.toLowerCase(), h);
  }
  return { items, actions };
}

/** A Condition on tags, namespaces, VPCs… is the other way to scope `*`; trust it. */
function scopedByCondition(st: StatementModel, doc: Document): boolean {
  return conditionEntries(st.condition, doc).some((c) => !NON_SCOPING_KEYS.has(c.key.toLowerCase()));
}
