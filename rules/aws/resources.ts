// Which resource each SDK call touches, resolved through the code (`process.env.TABLE`, local
// constants) and the function's environment in the template (`!Ref Table`, `${self:custom.x}`),
// and the ARN each of its IAM actions needs, written in that template's own syntax.
import ts from 'typescript';
import type { FunctionModel, TemplateModel } from '../template/model';
import type { SdkCall } from './sdk-calls';
import { prefixForClient } from './sdk-actions';
import { actionInfo } from './iam-data';
import { codeValue, objectLiteral, property, single, type CodeValue } from './code-values';
import { envVar, templateValue, type TValue } from './template-values';
import { arnOf, type ArnExpr, type ResourceKind } from './arns';
import { skipOuter } from '../handler/build';

/** One resource argument of a call, as the code writes it. */
export interface CallArg {
  kind: ResourceKind;
  value: CodeValue;
  /** The actions of the call this resource is for (all of them when absent). */
  actions?: string[];
  /** Appended to the resource's ARN: `/*` (objects), `/index/…` (an index). */
  suffix: string;
  /** S3 object key, when the call names one (for trigger filters). */
  key?: CodeValue;
}

/** A call's resource arguments; undefined when the code does not say (the parameter is built elsewhere). */
export function callArgs(call: SdkCall): CallArg[] | undefined {
  const p = objectLiteral(call.params, call.sf);
  const prefix = prefixForClient(call.client);
  const op = call.operation;
  if (!p) return undefined;
  const v = (name: string) => codeValue(property(p, name), call.sf);
  switch (prefix) {
    case 'dynamodb': {
      if (call.client === 'dynamodb-streams') return undefined;
      const table = property(p, 'TableName');
      if (table) {
        const index = property(p, 'IndexName');
        if (index && (op === 'Query' || op === 'Scan')) {
          const name = single(codeValue(index, call.sf));
          return [{ kind: 'table', value: codeValue(table, call.sf), suffix: `/index/${name?.kind === 'literal' ? name.text : '*'}` }];
        }
        return [{ kind: 'table', value: codeValue(table, call.sf), suffix: '' }];
      }
      // BatchGet / BatchWrite: `RequestItems: { [process.env.TABLE]: … }`.
      const items = objectLiteral(property(p, 'RequestItems'), call.sf);
      if (items) {
        const out: CallArg[] = [];
        for (const prop of items.properties) {
          const key = prop.name;
          if (!key) return undefined;
          if (ts.isComputedPropertyName(key)) out.push({ kind: 'table', value: codeValue(key.expression, call.sf), suffix: '' });
          else if (ts.isStringLiteral(key) || ts.isIdentifier(key)) out.push({ kind: 'table', value: [{ kind: 'literal', text: key.text }], suffix: '' });
          else return undefined;
        }
        return out.length ? out : undefined;
      }
      // Transactions: `TransactItems: [{ Put: { TableName, … } }, …]`.
      const list = property(p, 'TransactItems');
      const arr = list && skipOuter(list);
      if (arr && ts.isArrayLiteralExpression(arr)) {
        const out: CallArg[] = [];
        for (const el of arr.elements) {
          const o = objectLiteral(el, call.sf);
          const inner = o?.properties[0];
          if (!o || o.properties.length !== 1 || !inner || !ts.isPropertyAssignment(inner)) return undefined;
          out.push({ kind: 'table', value: codeValue(property(inner.initializer, 'TableName'), call.sf), suffix: '' });
        }
        return out.length ? out : undefined;
      }
      return undefined;
    }
    case 's3': {
      if (!property(p, 'Bucket')) return undefined;
      const bucket = v('Bucket');
      const out: CallArg[] = [];
      const bucketLevel = call.actions.filter((a) => /^s3:ListBucket/i.test(a));
      const objectLevel = call.actions.filter((a) => !/^s3:ListBucket/i.test(a));
      if (op === 'CopyObject') {
        // GetObject on the source (`CopySource: 'bucket/key'`), PutObject on the destination.
        const source = splitCopySource(v('CopySource'));
        if (!source) return undefined;
        out.push({ kind: 'bucket', value: source, actions: ['s3:GetObject'], suffix: '/*' });
        out.push({ kind: 'bucket', value: bucket, actions: ['s3:PutObject'], suffix: '/*', key: v('Key') });
        return out;
      }
      if (bucketLevel.length) out.push({ kind: 'bucket', value: bucket, actions: bucketLevel, suffix: '' });
      if (objectLevel.length) out.push({ kind: 'bucket', value: bucket, actions: objectLevel, suffix: '/*', key: property(p, 'Key') ? v('Key') : undefined });
      return out;
    }
    case 'sqs':
      if (property(p, 'QueueUrl')) return [{ kind: 'queue', value: v('QueueUrl'), suffix: '' }];
      return undefined;
    case 'sns':
      if (property(p, 'TopicArn')) return [{ kind: 'topic', value: v('TopicArn'), suffix: '' }];
      if (property(p, 'TargetArn')) return undefined; // an endpoint ARN, not a topic
      if (property(p, 'PhoneNumber')) return []; // SMS: no resource, `*` is the only choice
      return undefined;
    case 'lambda':
      // A `Qualifier` (version, alias) needs the qualified ARN: left as written.
      if (property(p, 'Qualifier') || !property(p, 'FunctionName')) return undefined;
      return [{ kind: 'function', value: v('FunctionName'), suffix: '' }];
    case 'kinesis':
      if (property(p, 'StreamARN')) return [{ kind: 'stream', value: v('StreamARN'), suffix: '' }];
      if (property(p, 'StreamName')) return [{ kind: 'stream', value: v('StreamName'), suffix: '' }];
      return undefined;
    case 'firehose':
      if (property(p, 'DeliveryStreamName')) return [{ kind: 'deliverystream', value: v('DeliveryStreamName'), suffix: '' }];
      return undefined;
    case 'secretsmanager':
      if (property(p, 'SecretId')) return [{ kind: 'secret', value: v('SecretId'), suffix: '' }];
      return undefined;
    case 'ssm':
      if (op === 'GetParametersByPath') return undefined;
      if (property(p, 'Name')) return [{ kind: 'parameter', value: v('Name'), suffix: '' }];
      if (property(p, 'Names')) {
        const names = property(p, 'Names');
        const a = names && skipOuter(names);
        if (!a || !ts.isArrayLiteralExpression(a) || !a.elements.length) return undefined;
        return a.elements.map((e) => ({ kind: 'parameter' as const, value: codeValue(e, call.sf), suffix: '' }));
      }
      return undefined;
    case 'events': {
      // PutEvents: each entry's bus; an entry without one goes to the account's default bus.
      const entries = property(p, 'Entries');
      const a = entries && skipOuter(entries);
      if (!a || !ts.isArrayLiteralExpression(a) || !a.elements.length) return undefined;
      const out: CallArg[] = [];
      for (const e of a.elements) {
        const o = objectLiteral(e, call.sf);
        if (!o || o.properties.some((x) => ts.isSpreadAssignment(x))) return undefined;
        const bus = property(o, 'EventBusName');
        out.push({ kind: 'eventbus', value: bus ? codeValue(bus, call.sf) : [{ kind: 'literal', text: 'default' }], suffix: '' });
      }
      return out;
    }
    case 'states':
      if (property(p, 'stateMachineArn')) return [{ kind: 'statemachine', value: v('stateMachineArn'), suffix: '' }];
      return undefined;
  }
  return undefined;
}

/** `CopySource: \`${bucket}/${key}\`` → the bucket part, when the first `/` is in literal text. */
function splitCopySource(v: CodeValue): CodeValue | undefined {
  const out: CodeValue = [];
  for (const part of v) {
    if (part.kind === 'unknown') return undefined;
    if (part.kind === 'literal') {
      // A leading `/` is allowed before the bucket name; the next one ends it.
      const text = out.length ? part.text : part.text.replace(/^\//, '');
      const i = text.indexOf('/');
      if (i !== -1) {
        if (i > 0) out.push({ kind: 'literal', text: text.slice(0, i) });
        return out.length ? out : undefined;
      }
      if (text) out.push({ kind: 'literal', text });
      continue;
    }
    out.push(part);
  }
  return undefined;
}

/** What a code value stands for in the template, through the function's environment. */
export function resolveValue(t: TemplateModel, fn: FunctionModel, v: CodeValue): TValue | undefined {
  const one = single(v);
  if (one?.kind === 'literal') return { kind: 'text', text: one.text };
  if (one?.kind === 'env') {
    const e = envVar(t, fn, one.name);
    return e ? templateValue(t, e.value.node) : undefined;
  }
  // Text around variables: `${process.env.PREFIX}-orders` → one string (Serverless) or `!Sub` text.
  let text = '';
  let sub = false;
  for (const part of v) {
    if (part.kind === 'unknown') return undefined;
    if (part.kind === 'literal') { text += part.text; continue; }
    const e = envVar(t, fn, part.name);
    const tv = e && templateValue(t, e.value.node);
    if (!tv) return undefined;
    if (tv.kind === 'text') text += tv.text;
    else if (t.kind === 'serverless') return undefined;
    else if (tv.kind === 'sub') { text += tv.text; sub = true; }
    else if (tv.kind === 'ref') { text += `\${${tv.id}}`; sub = true; }
    else if (tv.kind === 'getatt') { text += `\${${tv.id}.${tv.attr}}`; sub = true; }
    else return undefined;
  }
  if (t.kind !== 'serverless' && !sub && text.includes('${')) return undefined;
  return sub ? { kind: 'sub', text } : { kind: 'text', text };
}

/** What one IAM action of a call needs: an ARN, `*` (the action has no resource type), or unknown. */
export interface ActionScope {
  action: string;
  /** Undefined with `anyResource` false: the resource could not be resolved. */
  arns: ArnExpr[];
  anyResource: boolean;
  resolved: boolean;
}

/**
 * Actions whose resource type is optional and that are scoped by condition keys instead
 * (`cloudwatch:namespace`): `*` is what AWS's own policies grant them on.
 */
const STAR_BY_DESIGN = new Set(['cloudwatch:putmetricdata', 'xray:puttracesegments', 'xray:puttelemetryrecords']);

/** The resources each action of a call needs, for one function (whose environment the code reads). */
export function actionScopes(t: TemplateModel, fn: FunctionModel, call: SdkCall): ActionScope[] {
  const args = callArgs(call);
  return call.actions.map((action) => {
    const info = actionInfo(action);
    if (info && (!info.resourceLevel || STAR_BY_DESIGN.has(action.toLowerCase()))) return { action, arns: [], anyResource: true, resolved: true };
    if (!info || !args) return { action, arns: [], anyResource: false, resolved: false };
    const mine = args.filter((a) => !a.actions || a.actions.includes(action));
    // SMS publishing, or an operation with no resource argument of its own.
    if (!mine.length) return args.length ? { action, arns: [], anyResource: false, resolved: false } : { action, arns: [], anyResource: true, resolved: true };
    const arns: ArnExpr[] = [];
    for (const a of mine) {
      const tv = resolveValue(t, fn, a.value);
      const arn = tv && arnOf(t, a.kind, tv, a.suffix);
      if (!arn) return { action, arns: [], anyResource: false, resolved: false };
      arns.push(arn);
    }
    return { action, arns, anyResource: false, resolved: true };
  });
}
