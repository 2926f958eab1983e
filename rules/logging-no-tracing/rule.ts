// Without traces and access logs, an incident in a serverless app leaves nothing to follow:
// no request path across functions and services, no record of who called the API.
import { defineRule, type Fix, type RuleContext, type Span } from '../api';
import type { TemplateModel, FunctionModel } from '../template/model';
import { get, getPair, getPath, spanOf, str, type Node } from '../template/yaml';
import { addChildMap, insertEntryBefore } from '../template/edit';
import { flavorOf, settingsNode, provider, globalsFunction, isOn, isAws } from '../functions/settings';
import { setEntry } from '../functions/edit';
import { isEdgeFunction, isCustomResourceHandler } from '../functions/triggers';

export default defineRule({
  meta: {
    id: 'logging-no-tracing',
    description: 'Require active X-Ray tracing on functions and access logs on API stages.',
    category: 'logging',
    severity: 'info',
    targets: ['template'],
    fix: 'suggestion',
    cwe: ['CWE-778'],
    sas: 'SAS-05',
    references: [
      'https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html',
      'https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html',
      'https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging.html',
    ],
    messages: {
      allFunctions: 'None of the {count} functions {where} has active X-Ray tracing: when something goes wrong, the path of a request through functions and AWS services cannot be followed.',
      function: '`{fn}` has no active X-Ray tracing{detail}: when something goes wrong, the path of a request through it and the AWS services it calls cannot be followed.',
      accessLogs: '{api} has no access logs: who called which route, from where and with what result is not recorded, so abuse and attacks cannot be investigated.',
    },
  },
  check(ctx) {
    if (ctx.input.target !== 'template') return;
    const t = ctx.input.template;
    if (!isAws(t)) return;
    checkTracing(ctx, t);
    checkAccessLogs(ctx, t);
  },
});

// ---------- tracing ----------

/** `on`: active tracing; `off`: none; `unknown`: a condition or a variable decides. */
interface TraceState { fn: FunctionModel; state: 'on' | 'off' | 'unknown'; own?: Node }

function stateOf(node: Node | undefined): TraceState['state'] {
  if (node === undefined) return 'off';
  const s = str(node);
  if (s === undefined || s.includes('${')) return 'unknown';
  return isOn(node) ? 'on' : 'off';
}

function traceState(t: TemplateModel, fn: FunctionModel): TraceState {
  const s = settingsNode(fn);
  switch (flavorOf(fn)) {
    case 'serverless': {
      const own = get(s, 'tracing', t.doc);
      return { fn, own, state: stateOf(own ?? getPath(provider(t), ['tracing', 'lambda'], t.doc)) };
    }
    case 'sam': {
      const own = get(s, 'Tracing', t.doc);
      return { fn, own, state: stateOf(own ?? get(globalsFunction(t), 'Tracing', t.doc)) };
    }
    case 'lambda': {
      const config = get(s, 'TracingConfig', t.doc);
      const own = getPath(s, ['TracingConfig', 'Mode'], t.doc);
      return { fn, own, state: config !== undefined && own === undefined ? 'unknown' : stateOf(own) };
    }
  }
}

function checkTracing(ctx: RuleContext, t: TemplateModel): void {
  // Lambda@Edge does not support X-Ray; custom resource handlers only run at deploy time.
  const states = t.functions
    .filter((fn) => !isEdgeFunction(t, fn) && !isCustomResourceHandler(t, fn))
    .map((fn) => traceState(t, fn));
  const shared = t.kind === 'serverless' ? provider(t) : globalsFunction(t);
  const sharedFlavor = t.kind === 'serverless' ? 'serverless' : 'sam';
  const sharing = states.filter((s) => flavorOf(s.fn) === sharedFlavor);
  // One finding at the shared settings when every function that reads them is untraced and none
  // decides for itself: that is where tracing is turned on for all of them.
  if (shared && sharing.length > 1 && sharing.every((s) => s.state === 'off' && s.own === undefined)) {
    const sharedKey = t.kind === 'serverless' ? 'provider' : 'Globals.Function';
    const setting = t.kind === 'serverless' ? getPath(shared, ['tracing', 'lambda'], t.doc) : get(shared, 'Tracing', t.doc);
    const span = spanOf(setting) ?? keySpanOf(t, t.kind === 'serverless' ? ['provider'] : ['Globals', 'Function']);
    if (span) {
      ctx.report({
        messageId: 'allFunctions',
        span,
        data: { count: sharing.length, where: `of this ${t.kind === 'serverless' ? 'service' : 'template'} (\`${sharedKey}\`)` },
        fixes: sharedFix(t, shared),
      });
    }
    for (const s of states) if (flavorOf(s.fn) !== sharedFlavor && s.state === 'off') reportFunction(ctx, t, s);
    return;
  }
  // A SAM template without `Globals.Function` whose functions are all untraced: one finding too,
  // with the fix that adds the Globals section that turns tracing on for all of them.
  if (t.kind === 'sam' && !shared && sharing.length > 1 && sharing.every((s) => s.state === 'off' && s.own === undefined)) {
    const globals = get(t.doc.contents, 'Globals', t.doc);
    const span = keySpanOf(t, [globals !== undefined ? 'Globals' : 'Resources']);
    if (span) {
      ctx.report({
        messageId: 'allFunctions',
        span,
        data: { count: sharing.length, where: 'of this template (no `Globals.Function.Tracing`)' },
        fixes: globalsFix(t, globals),
      });
      for (const s of states) if (flavorOf(s.fn) !== sharedFlavor && s.state === 'off') reportFunction(ctx, t, s);
      return;
    }
  }
  for (const s of states) if (s.state === 'off') reportFunction(ctx, t, s);
}

/** Adds `Globals.Function.Tracing: Active` to a SAM template that has no `Globals.Function`. */
function globalsFix(t: TemplateModel, globals: Node | undefined): Fix[] {
  const edit = globals !== undefined
    ? addChildMap(t.text, globals, 'Function', 'Tracing', 'Active')
    : insertEntryBefore(t.text, t.doc.contents as Node, 'Resources', 'Globals', [[1, 'Function:'], [2, 'Tracing: Active']]);
  return edit ? [{ title: `${TITLE} for every function (\`Globals.Function.Tracing\`)`, kind: 'suggestion', edits: [edit] }] : [];
}

function reportFunction(ctx: RuleContext, t: TemplateModel, s: TraceState): void {
  const ownText = s.own !== undefined ? str(s.own) : undefined;
  const detail = ownText !== undefined ? ` (tracing is \`${ownText}\`)` : '';
  ctx.report({
    messageId: 'function',
    span: (s.own !== undefined ? spanOf(s.own) : undefined) ?? s.fn.keySpan,
    data: { fn: s.fn.name, detail },
    fixes: functionFix(t, s),
  });
}

const TITLE = 'Turn on active X-Ray tracing';

function sharedFix(t: TemplateModel, shared: Node): Fix[] {
  let edit;
  if (t.kind === 'serverless') {
    const tracing = get(shared, 'tracing', t.doc);
    edit = tracing !== undefined ? setEntry(t.text, tracing, 'lambda', 'true') : addChildMap(t.text, shared, 'tracing', 'lambda', 'true');
  } else edit = setEntry(t.text, shared, 'Tracing', 'Active');
  return edit ? [{ title: `${TITLE} for every function`, kind: 'suggestion', edits: [edit] }] : [];
}

function functionFix(t: TemplateModel, s: TraceState): Fix[] {
  const node = settingsNode(s.fn);
  let edit;
  switch (flavorOf(s.fn)) {
    case 'serverless': edit = setEntry(t.text, node, 'tracing', 'Active'); break;
    case 'sam': edit = setEntry(t.text, node, 'Tracing', 'Active', s.fn.node, 'Properties'); break;
    case 'lambda': {
      const config = get(node, 'TracingConfig', t.doc);
      edit = config !== undefined ? setEntry(t.text, config, 'Mode', 'Active') : node ? addChildMap(t.text, node, 'TracingConfig', 'Mode', 'Active') : undefined;
      break;
    }
  }
  return edit ? [{ title: `${TITLE} for \`${s.fn.name}\``, kind: 'suggestion', edits: [edit] }] : [];
}

function keySpanOf(t: TemplateModel, path: string[]): Span | undefined {
  const parent = path.length > 1 ? getPath(t.doc.contents, path.slice(0, -1), t.doc) : t.doc.contents;
  return spanOf(getPair(parent, path[path.length - 1], t.doc)?.key);
}

// ---------- API access logs ----------

function checkAccessLogs(ctx: RuleContext, t: TemplateModel): void {
  const d = t.doc;
  const report = (api: string, span: Span | undefined) => { if (span) ctx.report({ messageId: 'accessLogs', span, data: { api } }); };
  if (t.kind === 'serverless') {
    const p = provider(t);
    const logs = get(p, 'logs', d);
    const kinds: Array<[string, string, string, boolean]> = [
      ['http', 'restApi', 'The REST API of this service', get(get(p, 'apiGateway', d), 'restApiId', d) !== undefined],
      ['httpApi', 'httpApi', 'The HTTP API of this service', get(get(p, 'httpApi', d), 'id', d) !== undefined],
      ['websocket', 'websocket', 'The WebSocket API of this service', get(get(p, 'apiGateway', d), 'websocketApiId', d) !== undefined],
    ];
    for (const [eventType, key, name, external] of kinds) {
      if (external || !t.functions.some((f) => f.events.some((e) => e.type === eventType))) continue;
      const setting = get(logs, key, d);
      if (setting !== undefined && str(setting) !== 'false') continue;
      report(`${name} (\`provider.logs.${key}\`)`, spanOf(setting) ?? keySpanOf(t, logs ? ['provider', 'logs'] : ['provider']));
    }
  }
  // SAM APIs, explicit and implicit; a Globals setting covers both.
  const gApi = getPath(d.contents, ['Globals', 'Api', 'AccessLogSetting'], d);
  const gHttp = getPath(d.contents, ['Globals', 'HttpApi', 'AccessLogSettings'], d);
  for (const r of t.resources) {
    const p = r.properties;
    switch (r.type) {
      case 'AWS::Serverless::Api':
        if (get(p, 'AccessLogSetting', d) === undefined && gApi === undefined) report(`API \`${r.id}\``, r.keySpan);
        break;
      case 'AWS::Serverless::HttpApi':
        if (get(p, 'AccessLogSettings', d) === undefined && gHttp === undefined) report(`HTTP API \`${r.id}\``, r.keySpan);
        break;
      case 'AWS::ApiGateway::Stage':
        if (get(p, 'AccessLogSetting', d) === undefined) report(`Stage \`${r.id}\``, r.keySpan);
        break;
      case 'AWS::ApiGatewayV2::Stage':
        if (get(p, 'AccessLogSettings', d) === undefined) report(`Stage \`${r.id}\``, r.keySpan);
        break;
      case 'AWS::ApiGateway::Deployment': {
        // A deployment with a StageName creates that stage itself, configured by StageDescription.
        const stage = str(get(p, 'StageName', d));
        if (stage && getPath(p, ['StageDescription', 'AccessLogSetting'], d) === undefined) report(`Stage \`${stage}\` of deployment \`${r.id}\``, r.keySpan);
        break;
      }
    }
  }
  if (t.kind === 'sam') {
    const implicit = (type: 'http' | 'httpApi') => t.functions
      .filter((f) => flavorOf(f) === 'sam')
      .flatMap((f) => f.events.filter((e) => e.type === type && get(get(e.node, 'Properties', d), type === 'http' ? 'RestApiId' : 'ApiId', d) === undefined));
    const rest = implicit('http');
    if (rest.length && gApi === undefined) report('The implicit API SAM creates for the `Api` events (`Globals.Api.AccessLogSetting`)', rest[0].span);
    const http = implicit('httpApi');
    if (http.length && gHttp === undefined) report('The implicit HTTP API SAM creates for the `HttpApi` events (`Globals.HttpApi.AccessLogSettings`)', http[0].span);
  }
}
