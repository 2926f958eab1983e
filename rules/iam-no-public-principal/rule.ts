// Flags resource and trust policies that let anyone (`Principal: '*'`) in, and Lambda permissions
// that trust a whole AWS service without saying which of its resources (the confused deputy).
import { cdkPublicPrincipals } from '../cdk/check';
import { defineRule, type RuleContext } from '../api';
import type { TemplateModel, ResourceModel } from '../template/model';
import { get, items, isMap, str, rawStr, intrinsic, spanOf, type Document, type Node } from '../template/yaml';
import { refName } from '../template/build';
import { isTrustPolicy, joinWords } from '../iam/statements';
import { conditionEntries } from '../iam/conditions';
import { actionInfo } from '../aws/iam-data';

/** Condition keys that pin the caller to an account, organization, network or source resource. */
const NARROWING_KEYS = new Set([
  'aws:sourcearn', 'aws:sourceaccount', 'aws:sourceowner', 'aws:sourceorgid', 'aws:sourceorgpaths',
  'aws:sourcevpce', 'aws:sourcevpc', 'aws:sourceip', 'aws:vpcsourceip',
  'aws:principalorgid', 'aws:principalorgpaths', 'aws:principalaccount', 'aws:principalarn', 'aws:userid',
  'kms:calleraccount', 's3:dataaccesspointaccount', 's3:dataaccesspointarn',
]);

/** Resource policies the template model does not collect: type → property holding the document. */
const OTHER_POLICIES: Record<string, { prop: string; noun: string }> = {
  'AWS::KMS::Key': { prop: 'KeyPolicy', noun: 'key' },
  'AWS::SecretsManager::ResourcePolicy': { prop: 'ResourcePolicy', noun: 'secret' },
  'AWS::OpenSearchService::Domain': { prop: 'AccessPolicies', noun: 'domain' },
  'AWS::Elasticsearch::Domain': { prop: 'AccessPolicies', noun: 'domain' },
  'AWS::ECR::Repository': { prop: 'RepositoryPolicyText', noun: 'repository' },
  'AWS::EFS::FileSystem': { prop: 'FileSystemPolicy', noun: 'file system' },
  'AWS::S3::AccessPoint': { prop: 'Policy', noun: 'access point' },
};
const MODEL_NOUNS: Record<string, string> = {
  'AWS::S3::BucketPolicy': 'bucket', 'AWS::SQS::QueuePolicy': 'queue', 'AWS::SNS::TopicPolicy': 'topic',
};

interface Statement { node: Node; effect?: string; principal?: Node; condition?: Node; actions: string[]; noun: string; trust: boolean }

export default defineRule({
  meta: {
    id: 'iam-no-public-principal',
    description: 'Disallow resource and trust policies that allow any principal (`*`) without a condition naming who may call.',
    category: 'iam',
    severity: 'error',
    targets: ['template', 'handler'],
    cwe: ['CWE-284', 'CWE-732', 'CWE-441'],
    sas: 'SAS-04',
    references: [
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-anonymous',
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html',
      'https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html',
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html',
    ],
    messages: {
      cdkPublic: '`{principal}` lets anyone, in any AWS account or none, act through this grant, and no condition narrows the caller; name the accounts or services instead.',
      public: 'Allows anyone (`*`) to {actions} on this {noun}, and no Condition narrows the caller (aws:SourceArn, aws:SourceAccount, aws:PrincipalOrgID, aws:SourceVpce…); name the principals or add such a condition.',
      publicRead: 'Lets anyone on the internet {actions} in this bucket, and no Condition narrows the caller; if it serves a website, put CloudFront with origin access control in front and allow only `cloudfront.amazonaws.com` with aws:SourceArn.',
      trust: 'Lets any AWS principal (`*`) assume this role, and no Condition narrows the caller (aws:PrincipalOrgID, aws:PrincipalAccount…); name the accounts or services that may assume it.',
      permissionPublic: 'Lets anyone (`Principal: \'*\'`) invoke {fn}; name the service or account that calls it, with SourceArn or SourceAccount.',
      permissionService: 'Lets any `{service}` resource, in any AWS account, invoke {fn}: without SourceArn or SourceAccount the service can be used as a confused deputy; set SourceArn to the resource that calls it (or SourceAccount to this account).',
    },
  },
  check(ctx) {
    if (ctx.input.target === 'handler') return cdkPublicPrincipals(ctx);
    if (ctx.input.target !== 'template') return;
    const t = ctx.input.template;
    for (const st of policyStatements(t)) {
      if (st.effect !== 'Allow' || !st.principal) continue;
      const span = spanOf(publicPrincipal(st.principal, t.doc));
      if (!span || narrowed(st.condition, t.doc)) continue;
      if (st.trust) ctx.report({ messageId: 'trust', span });
      else if (st.noun === 'bucket' && readOnly(st.actions)) {
        // A public website bucket is often deliberate: a warning that names the better design.
        ctx.report({ messageId: 'publicRead', span, severity: 'warning', data: { actions: describeActions(st.actions) } });
      } else ctx.report({ messageId: 'public', span, data: { actions: describeActions(st.actions), noun: st.noun } });
    }
    for (const r of t.resources) if (r.type === 'AWS::Lambda::Permission') checkPermission(ctx, r, t.doc);
  },
});

/** The model's statements that carry a Principal, plus those of resource policies it does not collect. */
function policyStatements(t: TemplateModel): Statement[] {
  const nounOf = (origin: string) => {
    const id = origin.split('.')[1];
    return MODEL_NOUNS[t.resources.find((r) => r.id === id)?.type ?? ''] ?? 'resource';
  };
  const out: Statement[] = t.statements.filter((s) => s.principal).map((s) => ({
    node: s.node, effect: s.effect, principal: s.principal, condition: s.condition,
    actions: s.actions.map((a) => a.value).filter((a): a is string => !!a),
    noun: isTrustPolicy(s) ? 'role' : nounOf(s.origin), trust: isTrustPolicy(s),
  }));
  for (const r of t.resources) {
    const other = OTHER_POLICIES[r.type];
    if (!other) continue;
    for (const s of items(get(get(r.properties, other.prop, t.doc), 'Statement', t.doc), t.doc)) {
      if (!isMap(s)) continue;
      out.push({
        node: s, effect: str(get(s, 'Effect', t.doc)), principal: get(s, 'Principal', t.doc), condition: get(s, 'Condition', t.doc),
        actions: items(get(s, 'Action', t.doc), t.doc).map(str).filter((a): a is string => !!a),
        noun: other.noun, trust: false,
      });
    }
  }
  return out;
}

/** The `*` node of `Principal: '*'`, `Principal: { AWS: '*' }` or `{ AWS: [..., '*'] }`. */
function publicPrincipal(principal: Node, doc: Document): Node | undefined {
  if (str(principal)?.trim() === '*') return principal;
  return items(get(principal, 'AWS', doc), doc).find((n) => str(n)?.trim() === '*');
}

/**
 * A Condition narrows the caller when it tests one of the keys above positively. `…IfExists`
 * passes when the key is absent, negated operators and `Null` still admit almost everyone, and
 * keys such as aws:SecureTransport or aws:Referer (spoofable) say nothing about who calls.
 */
function narrowed(condition: Node | undefined, doc: Document): boolean {
  return conditionEntries(condition, doc).some((c) => {
    const op = c.operator.replace(/^For(All|Any)Values?:/i, '');
    if (/IfExists$/i.test(op) || /Not/.test(op) || op === 'Null') return false;
    if (!NARROWING_KEYS.has(c.key.toLowerCase())) return false;
    return !items(c.value, doc).every((v) => str(v)?.trim() === '*');
  });
}

/** Every action is a known Read or List action (no wildcard that could reach writes). */
function readOnly(actions: string[]): boolean {
  return actions.length > 0 && actions.every((a) => {
    const level = !a.includes('*') ? actionInfo(a)?.level : undefined;
    return level === 'Read' || level === 'List';
  });
}

function describeActions(actions: string[]): string {
  if (!actions.length) return 'act';
  if (actions.some((a) => a.trim() === '*')) return 'do anything';
  const shown = actions.slice(0, 3).map((a) => `\`${a}\``);
  if (actions.length > 3) shown.push(`${actions.length - 3} more`);
  return `call ${joinWords(shown)}`;
}

function checkPermission(ctx: RuleContext, r: ResourceModel, doc: Document): void {
  const props = r.properties;
  // Function URL permissions (`FunctionUrlAuthType`) are about the URL's auth type: another rule.
  if (!props || get(props, 'FunctionUrlAuthType', doc) !== undefined) return;
  if (['SourceArn', 'SourceAccount', 'PrincipalOrgID'].some((k) => get(props, k, doc) !== undefined)) return;
  const principalNode = get(props, 'Principal', doc);
  const principal = principalText(principalNode, doc);
  const span = spanOf(principalNode);
  if (!span || principal === undefined) return;
  const fn = functionName(get(props, 'FunctionName', doc));
  if (principal === '*') ctx.report({ messageId: 'permissionPublic', span, data: { fn } });
  else if (/^[a-z0-9.-]+\.amazonaws\.com$/.test(principal)) {
    ctx.report({ messageId: 'permissionService', span, severity: 'warning', data: { fn, service: principal } });
  }
}

/** A plain principal, or a `!Sub` whose only variable is the URL suffix (`events.${AWS::URLSuffix}`). */
function principalText(node: Node | undefined, doc: Document): string | undefined {
  const plain = str(node);
  if (plain !== undefined) return plain.trim();
  const i = intrinsic(node, doc);
  const text = i?.fn === 'Fn::Sub' ? rawStr(i.arg) : undefined;
  const resolved = text?.replace(/\$\{AWS::URLSuffix\}/g, 'amazonaws.com');
  return resolved && !resolved.includes('${') ? resolved.trim() : undefined;
}

function functionName(node: Node | undefined): string {
  const name = refName(node) ?? str(node);
  return name ? `function \`${name}\`` : 'this function';
}
