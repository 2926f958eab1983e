// ARN expressions in a template's own syntax: CloudFormation/SAM `!GetAtt T.Arn`,
// `!Sub 'arn:${AWS::Partition}:s3:::${Bucket}/*'`; Serverless `arn:aws:…:${aws:region}:…` strings and
// `{ 'Fn::GetAtt': [T, Arn] }`. Each resource kind knows how its ARN is spelled from a name.
import type { ResourceModel, TemplateModel } from '../template/model';
import { get, intrinsic, rawStr, str, type Node } from '../template/yaml';
import type { TValue } from './template-values';

export type ResourceKind =
  | 'table' | 'bucket' | 'queue' | 'topic' | 'function' | 'stream' | 'deliverystream'
  | 'secret' | 'parameter' | 'eventbus' | 'statemachine';

export type ArnExpr =
  | { kind: 'string'; text: string }
  | { kind: 'sub'; text: string }
  | { kind: 'getatt'; id: string; attr: string }
  | { kind: 'ref'; id: string }
  /** `Fn::ImportValue` of a plain export name. */
  | { kind: 'import'; name: string }
  /** Serverless only (`${…}` in a Sub would be read as a Serverless variable): `Fn::Join` with ''. */
  | { kind: 'join'; parts: Array<string | ArnExpr> };

interface KindInfo {
  service: string;
  /** `table/NAME`; `:::NAME` for S3 (no region, no account). */
  layout: (name: string) => string;
  global?: boolean;
  /** Resource types whose `!Ref` is the name (→ `!GetAtt X.Arn`) or the ARN itself. */
  types: Record<string, 'name' | 'arn' | 'url' | 'name-only'>;
  /** The property that names the resource, to match literal names to resources. */
  nameProp?: string;
}

export const KINDS: Record<ResourceKind, KindInfo> = {
  table: { service: 'dynamodb', layout: (n) => `table/${n}`, types: { 'AWS::DynamoDB::Table': 'name', 'AWS::DynamoDB::GlobalTable': 'name', 'AWS::Serverless::SimpleTable': 'name-only' }, nameProp: 'TableName' },
  bucket: { service: 's3', layout: (n) => n, global: true, types: { 'AWS::S3::Bucket': 'name' }, nameProp: 'BucketName' },
  queue: { service: 'sqs', layout: (n) => n, types: { 'AWS::SQS::Queue': 'url' }, nameProp: 'QueueName' },
  topic: { service: 'sns', layout: (n) => n, types: { 'AWS::SNS::Topic': 'arn' }, nameProp: 'TopicName' },
  function: { service: 'lambda', layout: (n) => `function:${n}`, types: { 'AWS::Lambda::Function': 'name', 'AWS::Serverless::Function': 'name' }, nameProp: 'FunctionName' },
  stream: { service: 'kinesis', layout: (n) => `stream/${n}`, types: { 'AWS::Kinesis::Stream': 'name' }, nameProp: 'Name' },
  deliverystream: { service: 'firehose', layout: (n) => `deliverystream/${n}`, types: { 'AWS::KinesisFirehose::DeliveryStream': 'name' }, nameProp: 'DeliveryStreamName' },
  // Secrets Manager appends `-` and six random characters to a secret's ARN.
  secret: { service: 'secretsmanager', layout: (n) => `secret:${n}-*`, types: { 'AWS::SecretsManager::Secret': 'arn' }, nameProp: 'Name' },
  parameter: { service: 'ssm', layout: (n) => `parameter/${n.replace(/^\//, '')}`, types: {} },
  eventbus: { service: 'events', layout: (n) => `event-bus/${n}`, types: { 'AWS::Events::EventBus': 'name' }, nameProp: 'Name' },
  statemachine: { service: 'states', layout: (n) => `stateMachine:${n}`, types: { 'AWS::StepFunctions::StateMachine': 'arn', 'AWS::Serverless::StateMachine': 'arn' }, nameProp: 'StateMachineName' },
};

const NAME_PARAMETER_KINDS = new Set<ResourceKind>(['table', 'bucket', 'stream', 'deliverystream']);

/** Which flavour of ARN text the template writes. */
function isServerless(t: TemplateModel): boolean {
  return t.kind === 'serverless';
}

/** `arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:` or the Serverless equivalent. */
function arnHead(t: TemplateModel, kind: ResourceKind): string {
  const k = KINDS[kind];
  if (isServerless(t)) return k.global ? `arn:aws:${k.service}:::` : `arn:aws:${k.service}:\${aws:region}:\${aws:accountId}:`;
  return k.global ? `arn:\${AWS::Partition}:${k.service}:::` : `arn:\${AWS::Partition}:${k.service}:\${AWS::Region}:\${AWS::AccountId}:`;
}

/** An ARN from a name written as text (Serverless string, or a CloudFormation `!Sub` text). */
function fromNameText(t: TemplateModel, kind: ResourceKind, name: string, suffix: string): ArnExpr {
  const text = arnHead(t, kind) + KINDS[kind].layout(name) + suffix;
  return isServerless(t) ? { kind: 'string', text } : { kind: 'sub', text };
}

/** A literal (no variables) in CloudFormation must not open a `${` inside `!Sub`. */
function subSafe(text: string): boolean {
  return !text.includes('${');
}

/** `https://sqs.eu-west-1.amazonaws.com/123456789012/jobs` → its ARN text. */
export function queueArnFromUrl(t: TemplateModel, url: string): string | undefined {
  const m = /^https:\/\/(?:sqs\.([^./]+(?:\$\{[^}]*\})?[^./]*)\.amazonaws\.com(?:\.cn)?|([^./]+)\.queue\.amazonaws\.com)\/([^/]+)\/([^/]+)$/.exec(url.trim());
  if (!m) return undefined;
  const region = m[1] ?? m[2];
  const partition = url.includes('.amazonaws.com.cn') ? 'aws-cn' : isServerless(t) ? 'aws' : '${AWS::Partition}';
  return `arn:${partition}:sqs:${region}:${m[3]}:${m[4]}`;
}

/**
 * The ARN of a resource of `kind` whose name (or URL, or ARN: what the API parameter takes) the
 * template writes as `v`. `suffix` is appended (`/*` for objects, `/index/*` for indexes).
 * Undefined when the template does not say enough.
 */
export function arnOf(t: TemplateModel, kind: ResourceKind, v: TValue, suffix = ''): ArnExpr | undefined {
  const info = KINDS[kind];
  switch (v.kind) {
    case 'ref': {
      const res = t.resources.find((r) => r.id === v.id);
      if (!res) {
        // A CloudFormation parameter holding the name (or the ARN, for ARN-valued parameters).
        if (isServerless(t) || !t.parameters.some((p) => p.name === v.id)) return undefined;
        if (kind === 'topic' || kind === 'statemachine') return withSuffix(t, { kind: 'ref', id: v.id }, suffix);
        // A parameter may hold a name or an ARN (functions, secrets, buses), a URL (queues) or a
        // name with or without its leading `/` (SSM): only plain names are built into an ARN.
        return NAME_PARAMETER_KINDS.has(kind) ? fromNameText(t, kind, `\${${v.id}}`, suffix) : undefined;
      }
      const how = info.types[res.type];
      if (!how) return undefined;
      if (how === 'arn') return withSuffix(t, { kind: 'ref', id: v.id }, suffix);
      if (how === 'name-only') return isServerless(t) ? undefined : fromNameText(t, kind, `\${${v.id}}`, suffix);
      return withSuffix(t, { kind: 'getatt', id: v.id, attr: 'Arn' }, suffix);
    }
    case 'getatt': {
      const res = t.resources.find((r) => r.id === v.id);
      if (!res || !info.types[res.type]) return undefined;
      if (v.attr === 'Arn' || (kind === 'topic' && v.attr === 'TopicArn') || (kind === 'queue' && (v.attr === 'QueueUrl' || v.attr === 'QueueName'))) {
        return withSuffix(t, { kind: 'getatt', id: v.id, attr: 'Arn' }, suffix);
      }
      return undefined;
    }
    case 'import':
      // An exported value can be dropped in whole only where the parameter takes an ARN.
      if (suffix || !['topic', 'statemachine'].includes(kind)) return undefined;
      {
        const i = intrinsic(v.node, t.doc);
        const name = i && (str(i.arg) ?? rawStr(i.arg));
        // `!ImportValue name` is its own argument; `{ 'Fn::ImportValue': !Sub … }` is not a plain name.
        const nested = i && i.arg !== i.node && intrinsic(i.arg, t.doc);
        return name && !nested ? { kind: 'import', name } : undefined;
      }
    case 'sub':
    case 'text': {
      const text = v.text.trim();
      if (!text) return undefined;
      if (v.kind === 'text' && !isServerless(t) && !subSafe(text)) return undefined;
      const asValue = (arn: string): ArnExpr => (v.kind === 'sub' || (!isServerless(t) && arn.includes('${')) ? { kind: 'sub', text: arn } : { kind: 'string', text: arn });
      if (/^arn:/.test(text)) return asValue(text + suffix);
      if (kind === 'queue') {
        const arn = queueArnFromUrl(t, text);
        return arn ? asValue(arn + suffix) : undefined;
      }
      // Parameters that take an ARN only (topics, state machines): a bare name is not enough.
      if (kind === 'topic' || kind === 'statemachine') return undefined;
      // Only secret and parameter names may hold a `/`; elsewhere it is a path or URL we do not read.
      if (kind !== 'parameter' && kind !== 'secret' && text.includes('/')) return undefined;
      if (/\s/.test(text)) return undefined;
      return v.kind === 'sub' || isServerless(t) ? fromNameText(t, kind, text, suffix) : { kind: 'sub', text: arnHead(t, kind) + info.layout(text) + suffix };
    }
  }
}

function withSuffix(t: TemplateModel, base: ArnExpr, suffix: string): ArnExpr {
  if (!suffix) return base;
  if (isServerless(t)) return { kind: 'join', parts: [base, suffix] };
  if (base.kind === 'getatt') return { kind: 'sub', text: `\${${base.id}.${base.attr}}${suffix}` };
  if (base.kind === 'ref') return { kind: 'sub', text: `\${${base.id}}${suffix}` };
  return base;
}

/** The template resource whose `TableName`, `BucketName`, … is written as this text (or this `!Sub` text). */
export function resourceNamed(t: TemplateModel, kind: ResourceKind, name: string, sub = false): ResourceModel | undefined {
  const info = KINDS[kind];
  if (!info.nameProp) return undefined;
  const hits = t.resources.filter((r) => {
    if (!info.types[r.type]) return false;
    const prop = get(r.properties, info.nameProp!, t.doc) as Node | undefined;
    if (!sub) return str(prop) === name;
    const i = intrinsic(prop, t.doc);
    return i?.fn === 'Fn::Sub' && rawStr(i.arg) === name;
  });
  return hits.length === 1 ? hits[0] : undefined;
}

export type ArnStyle = 'yaml-short' | 'yaml-long' | 'json';

/** The ARN as inline text (a flow value) in the given style. */
export function renderArn(a: ArnExpr, style: ArnStyle): string {
  const q = (s: string) => (style === 'json' ? JSON.stringify(s) : `'${s.replace(/'/g, "''")}'`);
  const plain = (s: string) => (style === 'json' ? JSON.stringify(s) : /^[A-Za-z][\w]*$/.test(s) ? s : q(s));
  switch (a.kind) {
    case 'string':
      return q(a.text);
    case 'sub':
      if (style === 'yaml-short') return `!Sub ${q(a.text)}`;
      return style === 'json' ? `{ "Fn::Sub": ${q(a.text)} }` : `{ 'Fn::Sub': ${q(a.text)} }`;
    case 'getatt':
      if (style === 'yaml-short') return `!GetAtt ${a.id}.${a.attr}`;
      return style === 'json' ? `{ "Fn::GetAtt": [${plain(a.id)}, ${plain(a.attr)}] }` : `{ 'Fn::GetAtt': [${plain(a.id)}, ${plain(a.attr)}] }`;
    case 'ref':
      if (style === 'yaml-short') return `!Ref ${a.id}`;
      return style === 'json' ? `{ "Ref": ${plain(a.id)} }` : `{ Ref: ${plain(a.id)} }`;
    case 'import':
      if (style === 'yaml-short') return `!ImportValue ${plain(a.name)}`;
      return style === 'json' ? `{ "Fn::ImportValue": ${plain(a.name)} }` : `{ 'Fn::ImportValue': ${plain(a.name)} }`;
    case 'join': {
      const parts = a.parts.map((p) => (typeof p === 'string' ? q(p) : renderArn(p, style === 'yaml-short' ? 'yaml-long' : style))).join(', ');
      return style === 'json' ? `{ "Fn::Join": ["", [${parts}]] }` : `{ 'Fn::Join': ['', [${parts}]] }`;
    }
  }
}

/** A stable key for grouping equal ARNs. */
export function arnKey(a: ArnExpr): string {
  return renderArn(a, 'json');
}
