// Flags AWS managed policies that grant administrator-level or whole-service access, wherever a
// template attaches them (SAM Policies, ManagedPolicyArns, Serverless managedPolicies).
import { cdkManagedPolicies } from '../cdk/check';
import { defineRule } from '../api';
import { describeGrantee } from '../iam/statements';
import { intrinsic, items, str, type Document, type Node } from '../template/yaml';

/** AWS managed policies that amount to account administration. */
const ADMIN: Record<string, string> = {
  AdministratorAccess: 'every action on every resource',
  PowerUserAccess: 'every action outside IAM and Organizations, on every resource',
  IAMFullAccess: 'every IAM action, so it can grant itself anything',
};

/** Readable service names for `*FullAccess` policies whose name does not read well as is. */
const SERVICE_NAMES: Record<string, string> = {
  CloudWatchLogs: 'CloudWatch Logs', APIGatewayInvoke: 'API Gateway invoke', KinesisFirehose: 'Kinesis Data Firehose',
  OpenSearchService: 'OpenSearch Service', OpenSearchIngestion: 'OpenSearch Ingestion', StepFunctions: 'Step Functions',
  EventBridge: 'EventBridge', KeyManagementService: 'KMS',
};

export default defineRule({
  meta: {
    id: 'iam-no-admin-managed-policy',
    description: 'Disallow attaching administrator or full-access AWS managed policies (`AdministratorAccess`, `*FullAccess`).',
    category: 'iam',
    severity: 'error',
    targets: ['template', 'handler'],
    cwe: ['CWE-250', 'CWE-269'],
    sas: 'SAS-04',
    references: [
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_job-functions.html',
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#bp-use-aws-defined-policies',
      'https://docs.aws.amazon.com/aws-managed-policy/latest/reference/policy-list.html',
    ],
    messages: {
      admin: 'Attaches the AWS managed policy `{name}`{who}, which grants {grants}; write a policy with the actions and resources it uses.',
      fullAccess: 'Attaches the AWS managed policy `{name}`{who}, which grants every {service} action on every resource; replace it with a statement listing the actions and resources it uses.',
    },
  },
  check(ctx) {
    if (ctx.input.target === 'handler') return cdkManagedPolicies(ctx, classifyPolicy);
    if (ctx.input.target !== 'template') return;
    const t = ctx.input.template;
    for (const p of t.managedPolicies) {
      // `!Join ['', ['arn:', !Ref AWS::Partition, ':iam::aws:policy/…']]` (CDK output) is read here.
      const name = p.name ?? awsPolicyFromJoin(p.value.node, t.doc);
      // Customer managed policies (another account, `${AWS::AccountId}`) only borrow the name.
      if (!name || (p.name && !p.awsManaged)) continue;
      const who = ` to ${describeGrantee(p.functions, p.origin, t)}`;
      if (ADMIN[name]) {
        ctx.report({ messageId: 'admin', span: p.value.span, data: { name, who, grants: ADMIN[name] } });
        continue;
      }
      const service = /^(?:Amazon|AWS)?(.+?)_?FullAccess$/.exec(name)?.[1];
      if (service) {
        ctx.report({
          messageId: 'fullAccess', span: p.value.span, severity: 'warning',
          data: { name, who, service: SERVICE_NAMES[service] ?? service },
        });
      }
    }
  },
});

/** The AWS managed policy name a `Fn::Join` with an empty delimiter spells, if any. */
function awsPolicyFromJoin(node: Node, doc: Document): string | undefined {
  const i = intrinsic(node, doc);
  if (i?.fn !== 'Fn::Join') return undefined;
  const [delimiter, parts] = items(i.arg, doc);
  if (str(delimiter) !== '') return undefined;
  const text = items(parts, doc).map((n) => str(n) ?? 'x').join('');
  return /^arn:[^:]+:iam::aws:policy\/(?:.*\/)?([^/]+)$/.exec(text)?.[1];
}

/** Which finding a managed policy name gets, if any (shared by templates and CDK code). */
function classifyPolicy(name: string): { messageId: string; severity?: 'warning'; data: Record<string, string> } | undefined {
  if (ADMIN[name]) return { messageId: 'admin', data: { name, who: '', grants: ADMIN[name] } };
  const service = /^(?:Amazon|AWS)?(.+?)_?FullAccess$/.exec(name)?.[1];
  return service ? { messageId: 'fullAccess', severity: 'warning', data: { name, who: '', service: SERVICE_NAMES[service] ?? service } } : undefined;
}
