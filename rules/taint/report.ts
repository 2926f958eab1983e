// What every taint rule says the same way: which entry points to analyse, the event that
// delivers the input ("from the public HTTP API route POST /orders"), the line the input is read
// on, and related locations for the source and, across files, the sink. Rules only pick their
// sink families and word their messages.
import ts from 'typescript';
import type { Fix, LinkedFunction, Related, Report, RuleContext, Span } from '../api';
import type { EventModel } from '../template/model';
import type { HandlerModel } from '../handler/model';
import type { Entry, Family, Flow } from './types';
import { handlerEntries } from './sources';
import { taintFlows } from './index';
import { validationGuardFix } from '../validation/guard-fix';
import { requestFields, PART_KEYS } from '../validation/request-fields';
// TypeScript's exports are getters: module-level copies keep hot loops off them.
const { forEachChild, isCallExpression, isNewExpression } = ts;

export interface TaintFinding {
  flow: Flow;
  /** Where the finding goes: the sink, or the call in this file that leads to a sink in another. */
  span: Span;
  /** The sink is in this file (at `span`). */
  local: boolean;
  model: HandlerModel;
  /**
   * Message data every taint rule can use: `source` (`event.body.id`), `at` (" (line 12)" when
   * the input is read on another line than the finding), `origin` (" from the public HTTP API
   * route POST /orders", or ''), `callee` (the sink as written), `detail` (the part of the sink:
   * `FilterExpression`, `Location`); for sinks in other files `via` (the local call), `file` and
   * `line` (where the sink is).
   */
  data: Record<string, string | number>;
  related: Related[];
}

export interface TaintRuleOptions {
  families: readonly Family[];
  /** Per finding location, the flow to report first (smaller wins). */
  rank?: (f: Flow) => number;
  /** Related-information text for a sink in another file: "`pool.query` runs the SQL here". */
  sinkNote: (f: Flow) => string;
  /** The report for one finding; undefined to skip it. `data` and `related` are filled in when absent. */
  report: (t: TaintFinding) => Report | undefined;
}

/** Runs the taint analysis for every entry of the handler and reports each sink once. */
export function checkTaint(ctx: RuleContext, opts: TaintRuleOptions): void {
  if (ctx.input.target !== 'handler') return;
  const model = ctx.input.handler;
  const linked = ctx.workspace.functionsFor(model);
  const entries = handlerEntries(model, [...new Set(linked.map((l) => l.exportName))]);
  const reported = new Set<string>();
  const rank = opts.rank ?? (() => 0);
  for (const entry of entries) {
    const flows = taintFlows(model, entry, ctx.workspace, ctx.timeLeft)
      .filter((f) => opts.families.includes(f.sink.family))
      .sort((a, b) => rank(a) - rank(b));
    if (!flows.length) continue;
    const fns = linked.filter((l) => l.exportName === entry.exportName);
    const origin = describeOrigin(fns);
    let guard: Fix | undefined | null = null;
    for (const flow of flows) {
      const local = flow.sink.uri === ctx.uri;
      const span = local ? flow.sink.span : flow.callSite;
      if (!span || reported.has(`${span.start}:${span.end}`)) continue;
      const t = finding(ctx, model, flow, span, local, origin, opts);
      const r = opts.report(t);
      if (!r) continue;
      reported.add(`${span.start}:${span.end}`);
      // The guard is a second option only: it rejects malformed requests but leaves the code that
      // reaches the sink as it is, so it never becomes the preferred fix.
      let fixes = r.fixes;
      if (fixes?.length && guardCovers(entry, flow, fns)) {
        if (guard === null) guard = validationGuardFix(model, entry, ctx.workspace, { titleSuffix: ' (rejects malformed requests; the sink itself stays as it is)' });
        if (guard) fixes = [...fixes, guard];
      }
      ctx.report({ ...r, fixes, data: r.data ?? t.data, related: r.related ?? t.related });
    }
  }
}

/** HTTP events (or none known) deliver the input, and the guard checks the part the flow reads. */
function guardCovers(entry: Entry, flow: Flow, fns: LinkedFunction[]): boolean {
  if (entry.input !== 'event') return false;
  const events = fns.flatMap((l) => l.fn.events);
  if (events.length && !events.some((e) => HTTP_EVENTS.has(e.type))) return false;
  const m = /^[\w$]+\.(\w+)/.exec(flow.source.desc);
  return !!m && requestFields(entry).some((p) => PART_KEYS[p.part] === m[1]);
}

const HTTP_EVENTS = new Set(['http', 'httpApi', 'alb', 'functionUrl']);

function finding(ctx: RuleContext, model: HandlerModel, flow: Flow, span: Span, local: boolean, origin: string, opts: TaintRuleOptions): TaintFinding {
  const related: Related[] = [];
  const lineOf = (pos: number) => model.sf.getLineAndCharacterOfPosition(pos).line + 1;
  let at = '';
  if (flow.source.span && flow.source.uri === ctx.uri) {
    related.push({ uri: ctx.uri, ...flow.source.span, message: `\`${flow.source.desc}\` is read here` });
    const line = lineOf(flow.source.span.start);
    if (line !== lineOf(span.start)) at = ` (line ${line})`;
  }
  const data: Record<string, string | number> = { source: flow.source.desc, at, origin, callee: flow.sink.callee, detail: flow.sink.detail ?? '' };
  if (!local) {
    related.push({ uri: flow.sink.uri, ...flow.sink.span, message: opts.sinkNote(flow) });
    const via = ctx.text.slice(span.start, span.end);
    data.via = via.slice(0, via.indexOf('(') > 0 ? via.indexOf('(') : via.length).trim();
    data.file = relativePath(ctx.uri, flow.sink.uri);
    data.line = flow.sink.line;
  }
  return { flow, span, local, model, data, related };
}

/** " from the public HTTP API route GET /convert/{file}" for the events that invoke this export. */
export function describeOrigin(fns: LinkedFunction[]): string {
  const events = fns.flatMap((l) => l.fn.events);
  const named = [...events.filter((e) => e.public), ...events.filter((e) => !e.public)]
    .map(describeEvent)
    .filter((x): x is string => !!x);
  const unique = [...new Set(named)];
  if (!unique.length) return '';
  const more = unique.length - 1;
  return ` from ${unique[0]}${more ? ` (and ${more} more event${more > 1 ? 's' : ''})` : ''}`;
}

/** Events whose payload an outsider can shape; schedules and log subscriptions are not named. */
export function describeEvent(e: EventModel): string | undefined {
  const pub = e.public ? 'public ' : '';
  const route = () => {
    if (e.path === '*' || (!e.path && e.method === '*')) return ' (any route)';
    const method = !e.method || e.method === '*' ? 'ANY' : e.method;
    const path = e.path ? (e.path.startsWith('/') ? e.path : `/${e.path}`) : '';
    return path ? ` route ${method} ${path}` : '';
  };
  switch (e.type) {
    case 'http': return `the ${pub}REST API${route() || ''}`;
    case 'httpApi': return `the ${pub}HTTP API${route() || ''}`;
    case 'alb': return `the ${pub}load balancer`;
    case 'functionUrl': return 'the public function URL';
    case 'websocket': return `the ${pub}WebSocket API`;
    case 'sqs': return 'the SQS queue';
    case 'sns': return 'the SNS topic';
    case 's3': return 'S3 object events';
    case 'stream': return 'the stream';
    case 'eventBridge': return 'EventBridge events';
    case 'kafka': return 'the Kafka topic';
    case 'mq': return 'the message broker';
    case 'iot': return 'the IoT rule';
    case 'cognitoUserPool': return 'the Cognito trigger';
    default: return undefined;
  }
}

/** The call (or `new`) with exactly this span, found by descending into the one child that holds it. */
export function callAt(sf: ts.SourceFile, span: Span): ts.CallExpression | ts.NewExpression | undefined {
  // Iterative: deep trees must not overflow.
  let node: ts.Node = sf;
  for (;;) {
    if ((isCallExpression(node) || isNewExpression(node)) && node.getStart() === span.start && node.end === span.end) return node;
    let next: ts.Node | undefined;
    forEachChild(node, (c) => {
      if (!next && c.pos <= span.start && span.end <= c.end) next = c;
    });
    if (!next) return undefined;
    node = next;
  }
}

/** `lib/run.js` relative to the handler's folder (rules have no `path` module). */
export function relativePath(from: string, to: string): string {
  const a = from.split(/[\\/]/).slice(0, -1);
  const b = to.split(/[\\/]/);
  let i = 0;
  while (i < a.length && i < b.length - 1 && a[i] === b[i]) i++;
  return [...a.slice(i).map(() => '..'), ...b.slice(i)].join('/');
}
