// The resources whose changes invoke a function: the bucket of an S3 event (with its key filter
// and event types), the queue it polls, the topic it subscribes to, the Kinesis or DynamoDB stream
// it reads. Serverless events, SAM events, and plain CloudFormation wiring (bucket notifications,
// event source mappings, subscriptions).
import type { Span } from '../api';
import type { FunctionModel, TemplateModel } from '../template/model';
import { get, getPath, items, str, isMap, spanOf, type Node } from '../template/yaml';
import { flavorOf, pointsAtFunction } from '../functions/settings';
import { templateValue, type TValue } from './template-values';
import { identities } from './identity';
import { arnOf, type ArnExpr, type ResourceKind } from './arns';

export interface EventSource {
  /** The written-to resource kind that triggers: a DynamoDB stream is triggered by writes to its table. */
  kind: Extract<ResourceKind, 'bucket' | 'queue' | 'topic' | 'stream' | 'table'>;
  ids: string[];
  /** What to call it in a message: the event's text (`!Ref UploadsBucket`, `photos`). */
  label: string;
  span: Span;
  /** S3 key filter, when the event has one. */
  prefix?: string;
  suffix?: string;
  /** S3: false when the event types are known and none of them is an object creation. */
  onCreate?: boolean;
}

export function eventSources(t: TemplateModel, fn: FunctionModel): EventSource[] {
  const out: EventSource[] = [];
  const add = (kind: EventSource['kind'], node: Node | undefined, span: Span, extra: Partial<EventSource> = {}) => {
    const v = templateValue(t, node);
    if (!v) return;
    const k = kind === 'stream' ? streamKind(t, v) : kind;
    if (!k) return;
    const ids = identities(t, k, v);
    if (ids.length) out.push({ kind: k, ids, label: labelOf(t, node), span, ...extra });
  };
  const serverless = flavorOf(fn) === 'serverless';
  for (const ev of fn.events) {
    const n = ev.node;
    if (serverless) {
      const field = (key: string) => (isMap(n) ? get(n, key, t.doc) : undefined);
      if (ev.type === 's3') {
        const bucket = isMap(n) ? field('bucket') : n;
        const rules = items(field('rules'), t.doc);
        const events = field('event');
        add('bucket', bucket, ev.span, {
          prefix: rules.map((r) => str(get(r, 'prefix', t.doc))).find((x) => x !== undefined),
          suffix: rules.map((r) => str(get(r, 'suffix', t.doc))).find((x) => x !== undefined),
          onCreate: events === undefined ? true : createsObjects([events]),
        });
      } else if (ev.type === 'sqs') add('queue', isMap(n) ? field('arn') : n, ev.span);
      else if (ev.type === 'sns') {
        // `sns: name` and `topicName:` create the topic; `arn:` subscribes to an existing one.
        add('topic', isMap(n) ? field('arn') ?? field('topicName') : n, ev.span);
      } else if (ev.type === 'stream') add('stream', isMap(n) ? field('arn') : n, ev.span);
      continue;
    }
    const props = get(n, 'Properties', t.doc);
    if (ev.type === 's3') {
      const rules = items(getPath(props, ['Filter', 'S3Key', 'Rules'], t.doc), t.doc);
      add('bucket', get(props, 'Bucket', t.doc), ev.span, { ...keyFilter(t, rules), onCreate: createsObjects(items(get(props, 'Events', t.doc), t.doc)) });
    } else if (ev.type === 'sqs') add('queue', get(props, 'Queue', t.doc), ev.span);
    else if (ev.type === 'sns') add('topic', get(props, 'Topic', t.doc), ev.span);
    else if (ev.type === 'stream') add('stream', get(props, 'Stream', t.doc), ev.span);
  }
  // Plain CloudFormation wiring (also written by hand in SAM and Serverless templates).
  for (const r of t.resources) {
    const p = r.properties;
    if (r.type === 'AWS::S3::Bucket') {
      for (const c of items(getPath(p, ['NotificationConfiguration', 'LambdaConfigurations'], t.doc), t.doc)) {
        if (!pointsAtFunction(t, get(c, 'Function', t.doc), fn)) continue;
        const ids = [`res:${r.id}`];
        const rules = items(getPath(c, ['Filter', 'S3Key', 'Rules'], t.doc), t.doc);
        out.push({ kind: 'bucket', ids, label: r.id, span: spanOf(get(c, 'Function', t.doc)) ?? r.keySpan, ...keyFilter(t, rules), onCreate: createsObjects(items(get(c, 'Event', t.doc), t.doc)) });
      }
    } else if (r.type === 'AWS::Lambda::EventSourceMapping' && pointsAtFunction(t, get(p, 'FunctionName', t.doc), fn)) {
      const arn = get(p, 'EventSourceArn', t.doc);
      const v = templateValue(t, arn);
      const kind = v && (isQueueArn(t, v) ? 'queue' : streamKind(t, v));
      if (kind) add(kind, arn, r.keySpan);
    } else if (r.type === 'AWS::SNS::Subscription') {
      if (/^lambda$/i.test(str(get(p, 'Protocol', t.doc)) ?? '') && pointsAtFunction(t, get(p, 'Endpoint', t.doc), fn)) add('topic', get(p, 'TopicArn', t.doc), r.keySpan);
    } else if (r.type === 'AWS::SNS::Topic') {
      for (const s of items(get(p, 'Subscription', t.doc), t.doc)) {
        if (/^lambda$/i.test(str(get(s, 'Protocol', t.doc)) ?? '') && pointsAtFunction(t, get(s, 'Endpoint', t.doc), fn)) out.push({ kind: 'topic', ids: [`res:${r.id}`], label: r.id, span: r.keySpan });
      }
    }
  }
  return out;
}

/** A stream ARN: a Kinesis stream, or a DynamoDB table's stream (written to through the table). */
function streamKind(t: TemplateModel, v: TValue): 'stream' | 'table' | undefined {
  if (v.kind === 'getatt') {
    const res = t.resources.find((r) => r.id === v.id);
    if (res?.type === 'AWS::Kinesis::Stream' && v.attr === 'Arn') return 'stream';
    if ((res?.type === 'AWS::DynamoDB::Table' || res?.type === 'AWS::DynamoDB::GlobalTable') && v.attr === 'StreamArn') return 'table';
    return undefined;
  }
  if (v.kind === 'text' || v.kind === 'sub') {
    if (/^arn:[^:]+:kinesis:/.test(v.text)) return 'stream';
    if (/^arn:[^:]+:dynamodb:.*\/stream\//.test(v.text)) return 'table';
  }
  return undefined;
}

function isQueueArn(t: TemplateModel, v: TValue): boolean {
  if (v.kind === 'getatt') return t.resources.some((r) => r.id === v.id && r.type === 'AWS::SQS::Queue');
  return (v.kind === 'text' || v.kind === 'sub') && /^arn:[^:]+:sqs:/.test(v.text);
}

/** `Rules: [{ Name: prefix, Value: uploads/ }]` (SAM and CloudFormation spelling). */
function keyFilter(t: TemplateModel, rules: Node[]): { prefix?: string; suffix?: string } {
  const rule = (name: string) => rules.find((r) => (str(get(r, 'Name', t.doc)) ?? '').toLowerCase() === name);
  return { prefix: str(get(rule('prefix'), 'Value', t.doc)), suffix: str(get(rule('suffix'), 'Value', t.doc)) };
}

/** Are object creations among the S3 event types? Unknown (an intrinsic) counts as yes. */
function createsObjects(events: Node[]): boolean {
  const names = events.map((e) => str(e));
  if (!names.length || names.some((n) => n === undefined)) return true;
  return names.some((n) => /^s3:ObjectCreated:/i.test(n!));
}

function labelOf(t: TemplateModel, node: Node | undefined): string {
  const v = templateValue(t, node);
  if (!v) return 'it';
  if (v.kind === 'ref' || v.kind === 'getatt') return v.id;
  if (v.kind === 'text' || v.kind === 'sub') return v.text;
  return 'it';
}

/** A permission Lambda uses with the function's own role, not a call in its code. */
export interface PollerNeed { action: string; arn: ArnExpr | undefined; span: Span }

const POLLER_ACTIONS: Record<'queue' | 'stream' | 'table', string[]> = {
  queue: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
  stream: ['kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:ListShards'],
  table: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
};

/**
 * What a hand-written `AWS::Lambda::EventSourceMapping` needs from the function's role to poll
 * (SAM and the Serverless Framework add these themselves for their own events). A least-privilege
 * proposal that dropped them would stop the trigger.
 */
export function pollerNeeds(t: TemplateModel, fn: FunctionModel): PollerNeed[] {
  const out: PollerNeed[] = [];
  for (const r of t.resources) {
    if (r.type !== 'AWS::Lambda::EventSourceMapping' || !pointsAtFunction(t, get(r.properties, 'FunctionName', t.doc), fn)) continue;
    const v = templateValue(t, get(r.properties, 'EventSourceArn', t.doc));
    const kind = v && (isQueueArn(t, v) ? 'queue' : streamKind(t, v));
    if (!v || !kind) continue;
    let arn: ArnExpr | undefined;
    if (kind === 'table') arn = v.kind === 'getatt' ? { kind: 'getatt', id: v.id, attr: v.attr } : v.kind === 'text' || v.kind === 'sub' ? (t.kind === 'serverless' || v.kind === 'text' && !v.text.includes('${') ? { kind: 'string', text: v.text } : { kind: 'sub', text: v.text }) : undefined;
    else arn = arnOf(t, kind, v);
    for (const action of POLLER_ACTIONS[kind]) out.push({ action, arn, span: r.keySpan });
  }
  return out;
}
