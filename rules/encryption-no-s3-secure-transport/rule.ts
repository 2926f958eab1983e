// S3 answers plain-HTTP requests unless the bucket policy refuses them: without a deny on
// `aws:SecureTransport = false`, a misconfigured client or an `http://` URL sends objects and
// presigned credentials in clear text.
import { defineRule, type Fix, type Related, type RuleContext } from '../api';
import type { TemplateModel, ResourceModel } from '../template/model';
import { get, getPath, items, str, rawStr, intrinsic, isMap, isSeq, type Node } from '../template/yaml';
import { refName } from '../template/build';
import { conditionEntries } from '../iam/conditions';
import { isAws, subText } from '../functions/settings';
import { insertEntryAfter, appendToBlockSeq } from '../template/edit';

export default defineRule({
  meta: {
    id: 'encryption-no-s3-secure-transport',
    description: 'Require a bucket policy that denies S3 requests not made over HTTPS (`aws:SecureTransport`).',
    category: 'encryption',
    severity: 'warning',
    targets: ['template'],
    fix: 'suggestion',
    cwe: ['CWE-319'],
    sas: 'SAS-07',
    references: [
      'https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html#transit',
      'https://repost.aws/knowledge-center/s3-bucket-policy-for-config-rule',
      'https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html#s3-5',
    ],
    messages: {
      noPolicy: 'S3 bucket `{id}` has no bucket policy that denies requests over plain HTTP (`aws:SecureTransport` false): S3 accepts them, so objects and request credentials can cross the network unencrypted.',
      noDeny: 'The policy `{policy}` of S3 bucket `{id}` does not deny requests over plain HTTP (`aws:SecureTransport` false): S3 accepts them, so objects and request credentials can cross the network unencrypted.',
    },
  },
  check(ctx) {
    if (ctx.input.target !== 'template') return;
    const t = ctx.input.template;
    if (!isAws(t)) return;
    const buckets = t.resources.filter((r) => r.type === 'AWS::S3::Bucket');
    if (!buckets.length) return;
    const policies = t.resources.filter((r) => r.type === 'AWS::S3::BucketPolicy').map((r) => readPolicy(t, r));
    // A policy that denies plain HTTP but whose bucket cannot be resolved may well be for one of
    // these buckets: stay quiet rather than guess.
    if (policies.some((p) => p.bucket === undefined && p.state !== 'allows-http')) return;
    for (const b of buckets) checkBucket(ctx, t, b, policies.filter((p) => p.bucket === b.id || (p.bucketName !== undefined && p.bucketName === bucketName(t, b))));
  },
});

interface PolicyInfo {
  resource: ResourceModel;
  /** Logical id of the bucket, when the policy names it with `!Ref`/`!GetAtt`. */
  bucket: string | undefined;
  /** The bucket name as written (a literal or a `!Sub` text), to match buckets by `BucketName`. */
  bucketName: string | undefined;
  /** `denies-http`: has the deny; `allows-http`: readable and has none; `unknown`: built by intrinsics. */
  state: 'denies-http' | 'allows-http' | 'unknown';
  statements?: Node;
}

function readPolicy(t: TemplateModel, r: ResourceModel): PolicyInfo {
  const bucketNode = get(r.properties, 'Bucket', t.doc);
  const ref = refName(bucketNode);
  const name = ref === undefined ? (str(bucketNode) ?? subText(t, bucketNode)) : undefined;
  const bucket = ref ?? (name !== undefined ? t.resources.find((b) => b.type === 'AWS::S3::Bucket' && bucketName(t, b) === name)?.id : undefined);
  const doc = get(r.properties, 'PolicyDocument', t.doc);
  const statements = get(doc, 'Statement', t.doc);
  let state: PolicyInfo['state'];
  if (!isMap(doc) || intrinsic(doc, t.doc) || statements === undefined || (!isSeq(statements) && !isMap(statements))) state = 'unknown';
  else {
    const list = items(statements, t.doc);
    if (list.some((s) => !isMap(s) || intrinsic(s, t.doc))) state = 'unknown';
    else state = list.some((s) => deniesPlainHttp(t, s)) ? 'denies-http' : 'allows-http';
  }
  return { resource: r, bucket, bucketName: name, state, statements };
}

/** `BucketName` as written: a literal or the text of a `!Sub`. */
function bucketName(t: TemplateModel, b: ResourceModel): string | undefined {
  const n = get(b.properties, 'BucketName', t.doc);
  return str(n) ?? subText(t, n);
}

/** Deny, to everyone, S3 actions that read or write objects, when `aws:SecureTransport` is false. */
function deniesPlainHttp(t: TemplateModel, s: Node): boolean {
  if (str(get(s, 'Effect', t.doc)) !== 'Deny') return false;
  const principal = get(s, 'Principal', t.doc);
  const everyone = str(principal) === '*' || str(get(principal, 'AWS', t.doc)) === '*' || items(get(principal, 'AWS', t.doc), t.doc).some((p) => str(p) === '*');
  if (!everyone) return false;
  const actions = items(get(s, 'Action', t.doc), t.doc).map((a) => str(a)?.toLowerCase());
  if (!actions.some((a) => a !== undefined && /^(\*|s3:\*|s3:\*object|s3:getobject\*?|s3:putobject\*?)$/.test(a))) return false;
  return conditionEntries(get(s, 'Condition', t.doc), t.doc).some((c) =>
    /^bool(ifexists)?$/i.test(c.operator) && c.key.toLowerCase() === 'aws:securetransport' && items(c.value, t.doc).some((v) => /^false$/i.test(str(v) ?? '')));
}

function checkBucket(ctx: RuleContext, t: TemplateModel, b: ResourceModel, policies: PolicyInfo[]): void {
  // Website endpoints only speak HTTP: a deny on plain HTTP would take the site down.
  if (get(b.properties, 'WebsiteConfiguration', t.doc) !== undefined) return;
  if (policies.some((p) => p.state !== 'allows-http')) return;
  if (policies.length) {
    // A bucket has one policy; the deny belongs in it (a second policy resource would replace it).
    const p = policies[0];
    const related: Related[] = [{ uri: t.uri, ...p.resource.keySpan, message: `The policy of \`${b.id}\`` }];
    const fixes: Fix[] = [];
    if (policies.length === 1 && isSeq(p.statements)) {
      const edit = appendToBlockSeq(t.text, p.statements, denyLines(t, b.id, 0));
      if (edit) fixes.push({ title: `Deny requests over plain HTTP in \`${p.resource.id}\``, kind: 'suggestion', edits: [edit] });
    }
    ctx.report({ messageId: 'noDeny', span: b.keySpan, data: { id: b.id, policy: p.resource.id }, related, fixes });
    return;
  }
  ctx.report({ messageId: 'noPolicy', span: b.keySpan, data: { id: b.id }, fixes: newPolicyFix(t, b) });
}

/** The deny statement, as [depth, text] lines; `${X.Arn}` inside `!Sub` clashes with Serverless variables. */
function denyLines(t: TemplateModel, id: string, depth: number): Array<[number, string]> {
  const objects = t.kind === 'serverless' ? `!Join ['', [!GetAtt ${id}.Arn, '/*']]` : `!Sub '\${${id}.Arn}/*'`;
  return [
    [depth, 'Sid: DenyInsecureTransport'],
    [depth, 'Effect: Deny'],
    [depth, "Principal: '*'"],
    [depth, "Action: 's3:*'"],
    [depth, 'Resource:'],
    [depth + 1, `- !GetAtt ${id}.Arn`],
    [depth + 1, `- ${objects}`],
    [depth, 'Condition:'],
    [depth + 1, 'Bool:'],
    [depth + 2, "'aws:SecureTransport': 'false'"],
  ];
}

function newPolicyFix(t: TemplateModel, b: ResourceModel): Fix[] {
  const resources = t.kind === 'serverless' ? getPath(t.doc.contents, ['resources', 'Resources'], t.doc) : get(t.doc.contents, 'Resources', t.doc);
  let name = `${b.id}SecureTransportPolicy`;
  if (t.resources.some((r) => r.id === name)) name = `${b.id}DenyInsecureTransportPolicy`;
  if (!resources || t.resources.some((r) => r.id === name)) return [];
  const statement = denyLines(t, b.id, 0);
  const lines: Array<[number, string]> = [
    [1, 'Type: AWS::S3::BucketPolicy'],
    [1, 'Properties:'],
    [2, `Bucket: !Ref ${b.id}`],
    [2, 'PolicyDocument:'],
    [3, "Version: '2012-10-17'"],
    [3, 'Statement:'],
    // The first statement line carries the dash; the rest align with it.
    ...statement.map(([d, l], i): [number, string] => [4 + d, i === 0 ? `- ${l}` : `  ${l}`]),
  ];
  const edit = insertEntryAfter(t.text, resources, b.id, name, lines);
  return edit ? [{ title: `Add a bucket policy \`${name}\` that denies requests over plain HTTP`, kind: 'suggestion', edits: [edit] }] : [];
}
