// SNS topics and Kinesis streams are the two event carriers serverless apps use that AWS does not
// encrypt at rest by default (S3, DynamoDB, SQS and CloudWatch Logs are encrypted by default).
import { defineRule, type Fix, type RuleContext } from '../api';
import type { TemplateModel, ResourceModel } from '../template/model';
import { get, getPath, getPair, items, str, spanOf } from '../template/yaml';
import { isAws } from '../functions/settings';
import { setEntry, appendNestedMap } from '../functions/edit';
import { referrers } from '../functions/refs';

/** Resources that publish to a topic through an IAM role (which the AWS managed key allows). */
const ROLE_PUBLISHERS = /^(AWS::IAM::|AWS::Lambda::|AWS::Serverless::|AWS::SNS::Subscription$|AWS::SNS::Topic$|AWS::SQS::|AWS::StepFunctions::|AWS::Pipes::|AWS::Scheduler::|AWS::IoT::TopicRule$|AWS::SSM::|AWS::CloudFormation::|AWS::ApiGateway|AWS::AppSync::|AWS::Cognito::|Custom::)/;

export default defineRule({
  meta: {
    id: 'encryption-no-unencrypted-topic-stream',
    description: 'Require encryption at rest on SNS topics and Kinesis data streams.',
    category: 'encryption',
    severity: 'warning',
    targets: ['template'],
    fix: 'safe',
    cwe: ['CWE-311'],
    sas: 'SAS-03',
    references: [
      'https://docs.aws.amazon.com/sns/latest/dg/sns-server-side-encryption.html',
      'https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services',
      'https://docs.aws.amazon.com/streams/latest/dev/server-side-encryption.html',
    ],
    messages: {
      topic: 'SNS topic `{id}` has no `KmsMasterKeyId`: SNS does not encrypt messages at rest by default, so they are stored in plain text until delivered.',
      topicService: 'SNS topic `{id}` has no `KmsMasterKeyId`: SNS does not encrypt messages at rest by default. An AWS service publishes to it ({publisher}), which the AWS managed key `alias/aws/sns` does not allow: use a customer managed key whose key policy lets that service use it.',
      stream: 'Kinesis stream `{id}` has no `StreamEncryption`: Kinesis does not encrypt records at rest by default, so they are stored in plain text for the whole retention period.',
      streamNone: 'Kinesis stream `{id}` sets `EncryptionType: NONE`: its records are stored in plain text for the whole retention period.',
    },
  },
  check(ctx) {
    if (ctx.input.target !== 'template') return;
    const t = ctx.input.template;
    if (!isAws(t)) return;
    for (const r of t.resources) {
      if (r.type === 'AWS::SNS::Topic') checkTopic(t, r, ctx.report);
      else if (r.type === 'AWS::Kinesis::Stream') checkStream(t, r, ctx.report);
    }
  },
});

type ReportFn = RuleContext['report'];

function checkTopic(t: TemplateModel, r: ResourceModel, report: ReportFn): void {
  if (getPair(r.properties, 'KmsMasterKeyId', t.doc) !== undefined) return;
  const publisher = servicePublisher(t, r.id);
  if (publisher) {
    report({ messageId: 'topicService', span: r.keySpan, data: { id: r.id, publisher } });
    return;
  }
  const edit = setEntry(t.text, r.properties, 'KmsMasterKeyId', 'alias/aws/sns', r.node, 'Properties');
  const fixes: Fix[] = edit ? [{ title: 'Encrypt the topic with the AWS managed key `alias/aws/sns`', kind: 'safe', edits: [edit] }] : [];
  report({ messageId: 'topic', span: r.keySpan, data: { id: r.id }, fixes });
}

/** A resource that makes an AWS service (not a role) publish to the topic, e.g. `Resources.Alarm`. */
function servicePublisher(t: TemplateModel, topicId: string): string | undefined {
  for (const ref of referrers(t, topicId)) {
    if (ref.type === 'AWS::SNS::TopicPolicy') {
      const statements = items(getPath(ref.properties, ['PolicyDocument', 'Statement'], t.doc), t.doc);
      const service = statements.map((s) => get(get(s, 'Principal', t.doc), 'Service', t.doc)).find((s) => s !== undefined);
      if (service !== undefined) return `\`${ref.id}\`` + (str(service) ? ` allows ${str(service)}` : '');
      continue;
    }
    if (!ROLE_PUBLISHERS.test(ref.type)) return `\`${ref.id}\`, ${ref.type}`;
  }
  return undefined;
}

function checkStream(t: TemplateModel, r: ResourceModel, report: ReportFn): void {
  const enc = get(r.properties, 'StreamEncryption', t.doc);
  if (enc !== undefined) {
    const type = get(enc, 'EncryptionType', t.doc);
    if (/^none$/i.test(str(type) ?? '')) report({ messageId: 'streamNone', span: spanOf(type) ?? r.keySpan, data: { id: r.id } });
    return;
  }
  const entries: Array<[string, string]> = [['EncryptionType', 'KMS'], ['KeyId', 'alias/aws/kinesis']];
  const edit = r.properties !== undefined
    ? appendNestedMap(t.text, r.properties, 'StreamEncryption', entries)
    : appendNestedMap(t.text, r.node, ['Properties', 'StreamEncryption'], entries);
  const fixes: Fix[] = edit ? [{ title: 'Encrypt the stream with the AWS managed key `alias/aws/kinesis`', kind: 'safe', edits: [edit] }] : [];
  report({ messageId: 'stream', span: r.keySpan, data: { id: r.id }, fixes });
}
