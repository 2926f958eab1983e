// What invokes a function, and how: SQS queues it polls (resolved to the queue resource in the
// same template), asynchronous sources (S3, SNS, EventBridge, schedules) and API Gateway routes.
import type { Span } from '../api';
import type { TemplateModel, FunctionModel, EventModel, ResourceModel } from '../template/model';
import { get, getPath, str, items, spanOf, isMap, type Node } from '../template/yaml';
import { mentions } from './refs';
import { refName } from '../template/build';
import { flavorOf, pointsAtFunction, resolveNumber, subText } from './settings';

export interface SqsTrigger {
  fn: FunctionModel;
  queue: ResourceModel;
  /** The event (or event source mapping) that connects them. */
  span: Span;
  /** `MaximumBatchingWindowInSeconds` / `maximumBatchingWindow`, 0 when absent or unknown. */
  batchWindow: number;
}

/** Every SQS queue of this template that triggers one of its functions. */
export function sqsTriggers(t: TemplateModel): SqsTrigger[] {
  const out: SqsTrigger[] = [];
  for (const fn of t.functions) {
    for (const ev of fn.events) {
      if (ev.type !== 'sqs') continue;
      let arn: Node | undefined;
      let window: Node | undefined;
      if (flavorOf(fn) === 'serverless') {
        arn = isMap(ev.node) && get(ev.node, 'arn', t.doc) !== undefined ? get(ev.node, 'arn', t.doc) : ev.node;
        window = get(ev.node, 'maximumBatchingWindow', t.doc);
      } else {
        const props = get(ev.node, 'Properties', t.doc);
        arn = get(props, 'Queue', t.doc);
        window = get(props, 'MaximumBatchingWindowInSeconds', t.doc);
      }
      const queue = queueFor(t, arn);
      if (queue) out.push({ fn, queue, span: ev.span, batchWindow: resolveNumber(t, window) ?? 0 });
    }
  }
  // Plain CloudFormation: `AWS::Lambda::EventSourceMapping` (also written by hand in SAM and Serverless templates).
  for (const r of t.resources) {
    if (r.type !== 'AWS::Lambda::EventSourceMapping') continue;
    const queue = queueFor(t, get(r.properties, 'EventSourceArn', t.doc));
    const fn = t.functions.find((f) => pointsAtFunction(t, get(r.properties, 'FunctionName', t.doc), f));
    if (queue && fn) {
      out.push({ fn, queue, span: r.keySpan, batchWindow: resolveNumber(t, get(r.properties, 'MaximumBatchingWindowInSeconds', t.doc)) ?? 0 });
    }
  }
  return out;
}

/** The `AWS::SQS::Queue` an ARN points at: `!GetAtt Q.Arn`, or an ARN string ending in the queue's `QueueName`. */
function queueFor(t: TemplateModel, arn: Node | undefined): ResourceModel | undefined {
  if (arn === undefined) return undefined;
  const isQueue = (r: ResourceModel) => r.type === 'AWS::SQS::Queue';
  const ref = refName(arn);
  if (ref !== undefined) return t.resources.find((r) => r.id === ref && isQueue(r));
  const text = str(arn) ?? subText(t, arn);
  if (!text || !/^arn:[^:]+:sqs:/.test(text)) return undefined;
  const name = arnParts(text)[5];
  if (name === undefined) return undefined;
  const byAttr = /^\$\{([\w]+)\.QueueName\}$/.exec(name);
  if (byAttr) return t.resources.find((r) => r.id === byAttr[1] && isQueue(r));
  // Only a name written the same way (variables and all) is the same queue.
  const matches = t.resources.filter((r) => {
    if (!isQueue(r)) return false;
    const q = get(r.properties, 'QueueName', t.doc);
    return (str(q) ?? subText(t, q)) === name;
  });
  return matches.length === 1 ? matches[0] : undefined;
}

/** Splits an ARN at its colons, leaving `${…}` variables (which may hold colons) whole. */
export function arnParts(arn: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (let i = 0; i < arn.length; i++) {
    const c = arn[i];
    if (c === '$' && arn[i + 1] === '{') { depth++; cur += '${'; i++; continue; }
    if (c === '}' && depth > 0) depth--;
    if (c === ':' && depth === 0 && parts.length < 5) { parts.push(cur); cur = ''; continue; }
    cur += c;
  }
  parts.push(cur);
  return parts;
}

export type AsyncSource = 's3' | 'sns' | 'eventbridge' | 'schedule';

export interface AsyncTrigger {
  source: AsyncSource;
  span: Span;
}

const ASYNC_EVENTS: Partial<Record<EventModel['type'], AsyncSource>> = { s3: 's3', sns: 'sns', eventBridge: 'eventbridge', schedule: 'schedule' };
const ASYNC_PRINCIPALS: Record<string, AsyncSource> = {
  's3.amazonaws.com': 's3', 'sns.amazonaws.com': 'sns', 'events.amazonaws.com': 'eventbridge', 'scheduler.amazonaws.com': 'schedule',
};

/** The sources that invoke a function asynchronously (Lambda queues the event and retries twice). */
export function asyncTriggers(t: TemplateModel, fn: FunctionModel): AsyncTrigger[] {
  const out: AsyncTrigger[] = [];
  for (const ev of fn.events) {
    const source = ASYNC_EVENTS[ev.type];
    if (source) out.push({ source, span: ev.span });
  }
  for (const r of t.resources) {
    const p = r.properties;
    if (r.type === 'AWS::Lambda::Permission') {
      const source = ASYNC_PRINCIPALS[str(get(p, 'Principal', t.doc)) ?? ''];
      if (source && pointsAtFunction(t, get(p, 'FunctionName', t.doc), fn)) out.push({ source, span: r.keySpan });
    } else if (r.type === 'AWS::SNS::Subscription') {
      if (/^lambda$/i.test(str(get(p, 'Protocol', t.doc)) ?? '') && pointsAtFunction(t, get(p, 'Endpoint', t.doc), fn)) out.push({ source: 'sns', span: r.keySpan });
    } else if (r.type === 'AWS::SNS::Topic') {
      for (const s of items(get(p, 'Subscription', t.doc), t.doc)) {
        if (/^lambda$/i.test(str(get(s, 'Protocol', t.doc)) ?? '') && pointsAtFunction(t, get(s, 'Endpoint', t.doc), fn)) out.push({ source: 'sns', span: r.keySpan });
      }
    } else if (r.type === 'AWS::Events::Rule') {
      for (const target of items(get(p, 'Targets', t.doc), t.doc)) {
        if (pointsAtFunction(t, get(target, 'Arn', t.doc), fn)) {
          out.push({ source: get(p, 'ScheduleExpression', t.doc) !== undefined ? 'schedule' : 'eventbridge', span: r.keySpan });
        }
      }
    } else if (r.type === 'AWS::Scheduler::Schedule') {
      if (pointsAtFunction(t, getPath(p, ['Target', 'Arn'], t.doc), fn)) out.push({ source: 'schedule', span: r.keySpan });
    } else if (r.type === 'AWS::S3::Bucket') {
      for (const c of items(getPath(p, ['NotificationConfiguration', 'LambdaConfigurations'], t.doc), t.doc)) {
        if (pointsAtFunction(t, get(c, 'Function', t.doc), fn)) out.push({ source: 's3', span: r.keySpan });
      }
    }
  }
  return out;
}

export interface ApiTrigger {
  event: EventModel;
  kind: 'rest' | 'http' | 'websocket';
  /**
   * Seconds API Gateway waits for the function: the event's `TimeoutInMillis`, a `timeoutInMillis`
   * in the API's OpenAPI body, else 29 s (REST, WebSocket) or 30 s (HTTP API). Undefined when the
   * template cannot tell (an external OpenAPI file) or the API streams its response (up to 15 min).
   */
  limit: number | undefined;
}

const DEFAULT_API_LIMIT = { rest: 29, websocket: 29, http: 30 } as const;

/**
 * The API Gateway events that call the function synchronously and wait for it (REST, HTTP API,
 * WebSocket). Serverless `http` events with `async: true` return at once and are left out.
 */
export function apiTriggers(t: TemplateModel, fn: FunctionModel): ApiTrigger[] {
  const out: ApiTrigger[] = [];
  for (const ev of fn.events) {
    let kind: ApiTrigger['kind'];
    if (ev.type === 'http') {
      if (/^true$/i.test(str(get(ev.node, 'async', t.doc)) ?? '')) continue;
      kind = 'rest';
    } else if (ev.type === 'httpApi') kind = 'http';
    else if (ev.type === 'websocket') kind = 'websocket';
    else continue;
    out.push({ event: ev, kind, limit: apiLimit(t, fn, ev, kind) });
  }
  return out;
}

function apiLimit(t: TemplateModel, fn: FunctionModel, ev: EventModel, kind: ApiTrigger['kind']): number | undefined {
  const props = flavorOf(fn) === 'serverless' ? ev.node : get(ev.node, 'Properties', t.doc);
  const own = resolveNumber(t, get(props, 'TimeoutInMillis', t.doc) ?? get(props, 'timeoutInMillis', t.doc));
  if (own !== undefined) return own / 1000;
  if (flavorOf(fn) === 'serverless') return DEFAULT_API_LIMIT[kind];
  const apiId = refName(get(props, kind === 'http' ? 'ApiId' : 'RestApiId', t.doc));
  const api = apiId ? t.resources.find((r) => r.id === apiId) : undefined;
  if (api) {
    if (get(api.properties, 'DefinitionUri', t.doc) !== undefined) return undefined;
    const body = spanOf(get(api.properties, 'DefinitionBody', t.doc));
    if (body) {
      const text = t.text.slice(body.start, body.end);
      if (/responseTransferMode["']?\s*:\s*["']?STREAM/i.test(text)) return undefined;
      const millis = [...text.matchAll(/timeoutInMillis["']?\s*:\s*["']?(\d+)/gi)].map((m) => Number(m[1]));
      if (millis.length) return Math.max(...millis) / 1000;
    }
  }
  return DEFAULT_API_LIMIT[kind];
}

/** A function only CloudFormation calls, at deploy time: the `ServiceToken` of custom resources, with no events. */
export function isCustomResourceHandler(t: TemplateModel, fn: FunctionModel): boolean {
  if (fn.events.length) return false;
  return t.resources.some((r) => (r.type.startsWith('Custom::') || r.type === 'AWS::CloudFormation::CustomResource') && pointsAtFunction(t, get(r.properties, 'ServiceToken', t.doc), fn));
}

/** A Lambda@Edge function: a Serverless `cloudFront` event, or a CloudFront distribution that points at it or its version. */
export function isEdgeFunction(t: TemplateModel, fn: FunctionModel): boolean {
  if (fn.events.some((e) => e.rawType === 'cloudFront')) return true;
  const id = flavorOf(fn) === 'serverless' ? undefined : fn.name;
  if (!id) return false;
  const versions = t.resources.filter((r) => r.type === 'AWS::Lambda::Version' && pointsAtFunction(t, get(r.properties, 'FunctionName', t.doc), fn)).map((r) => r.id);
  return t.resources.some((r) => r.type === 'AWS::CloudFront::Distribution' && [id, ...versions].some((v) => mentions(t, r.properties, v)));
}
