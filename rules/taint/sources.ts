// Where attacker input enters: the handler's first parameter (the event), or the `req` of the
// routes of an express/koa app that the module exports through serverless-http and friends.
import ts from 'typescript';
import type { HandlerModel, ExportedFunction } from '../handler/model';
import type { Entry, InputKind, Label } from './types';
import { localFunction } from './scope';
import { moduleRef } from './modules';
// TypeScript's exports are getters: module-level copies keep hot loops off them.
const { forEachChild, isArrowFunction, isCallExpression, isFunctionExpression, isIdentifier, isPropertyAccessExpression } = ts;

/** Adapters that turn a web app into a Lambda handler. */
const HTTP_ADAPTERS = new Set(['serverless-http', '@vendia/serverless-express', '@codegenie/serverless-express', 'aws-serverless-express', '@h4ad/serverless-adapter', 'hono/aws-lambda']);
const ROUTE_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'del', 'all', 'use', 'options', 'head']);
/** Middy middlewares that replace `event.body` by the parsed object. */
const BODY_PARSERS = /^@middy\/(http-json-body-parser|http-urlencode-body-parser|http-multipart-body-parser|http-event-normalizer)$/;
/** First-parameter names that say "this is an entry point" in modules no template links. */
const EVENT_PARAM = /^(event|evt|ev|e|lambdaEvent|apiGatewayEvent|req|request)$/;

/**
 * The entry points of a module. `linked` are the export names templates point at; when no
 * template links the module we guess from names and parameters, so helpers (`run(cmd)`) in
 * library modules are not mistaken for handlers.
 */
export function handlerEntries(model: HandlerModel, linked: readonly string[]): Entry[] {
  const out: Entry[] = [];
  const routes = () => routeCallbacks(model);
  for (const exp of model.exports.values()) {
    if (linked.length ? !linked.includes(exp.name) : !looksLikeHandler(exp)) continue;
    if (isHttpAdapter(exp)) {
      for (const fn of routes()) out.push({ exportName: exp.name, fn, base: paramBase(fn, 'req'), input: 'request' });
    } else if (exp.fn) {
      const parsedBody = exp.wrapper === 'middy' && model.imports.some((i) => BODY_PARSERS.test(i.specifier));
      out.push({ exportName: exp.name, fn: exp.fn, base: paramBase(exp.fn, 'event'), input: 'event', ...(parsedBody ? { parsedBody } : {}) });
    }
  }
  return out;
}

function looksLikeHandler(exp: ExportedFunction): boolean {
  if (/^(handler|main)$|Handler$/.test(exp.name) || exp.wrapper === 'middy' || isHttpAdapter(exp)) return true;
  const p = exp.fn?.parameters[0];
  return !!p && isIdentifier(p.name) && EVENT_PARAM.test(p.name.text);
}

function isHttpAdapter(exp: ExportedFunction): boolean {
  if (exp.wrapper === 'serverless-http') return true;
  if (exp.fn) return false;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (isCallExpression(n)) {
      const ref = moduleRef(n.expression);
      if (ref && HTTP_ADAPTERS.has(ref.module)) { found = true; return; }
    }
    forEachChild(n, visit);
  };
  visit(exp.node);
  return found;
}

/** `app.post('/x', (req, res) => …)`, `router.get('/y', auth, handlerFn)`: the route functions. */
function routeCallbacks(model: HandlerModel): ts.FunctionLikeDeclaration[] {
  const out: ts.FunctionLikeDeclaration[] = [];
  const visit = (n: ts.Node): void => {
    if (isCallExpression(n) && isPropertyAccessExpression(n.expression) && ROUTE_METHODS.has(n.expression.name.text)) {
      for (const a of n.arguments) {
        const fn = isArrowFunction(a) || isFunctionExpression(a) ? a : localFunction(a);
        if (fn && fn.parameters.length && !out.includes(fn)) out.push(fn);
      }
    }
    forEachChild(n, visit);
  };
  visit(model.sf);
  return out;
}

function paramBase(fn: ts.FunctionLikeDeclaration, fallback: string): string {
  const p = fn.parameters[0];
  return p && isIdentifier(p.name) ? p.name.text : fallback;
}

/** The label of the raw entry input. Its span is set where it is first read. */
export function sourceLabel(uri: string, entry: Entry): Label {
  const origin = { kind: 'source' as const, uri, base: entry.base, input: entry.input, ...(entry.parsedBody ? { parsedBody: true } : {}) };
  return { origin, access: '', exact: true, steps: [], cleared: [] };
}

/**
 * Whether a read of the input at `access` can be an object or array the caller shaped, rather
 * than a string: express bodies (JSON) and query strings (`?user[$ne]=x`), a body a middleware
 * parsed, EventBridge `detail`, AppSync `arguments`, DynamoDB stream images. API Gateway
 * parameters and raw bodies are strings.
 */
export function structuredAccess(origin: Label['origin'], access: string): boolean {
  if (origin.kind !== 'source') return false;
  if (origin.input === 'request') return /^\.(body|query)(?![\w$])/.test(access);
  return (!!origin.parsedBody && /^\.body(?![\w$])/.test(access)) || /^\.(detail|arguments)(?![\w$])/.test(access) || /\.dynamodb(?![\w$])/.test(access);
}

/** May this label's value be an attacker-shaped object (see `Label.structured`)? */
export function mayBeObject(l: Label): boolean {
  if (l.structured !== undefined) return l.structured;
  return structuredAccess(l.origin, l.access);
}

// Fields AWS (or the framework) fills in, not the caller: reading them is not reading input.
const TRUSTED: Record<InputKind, Set<string>> = {
  event: new Set([
    'requestContext.requestId', 'requestContext.extendedRequestId', 'requestContext.accountId', 'requestContext.apiId',
    'requestContext.stage', 'requestContext.requestTimeEpoch', 'requestContext.timeEpoch', 'requestContext.identity.sourceIp',
    'requestContext.http.sourceIp', 'requestContext.http.method', 'requestContext.httpMethod', 'requestContext.resourcePath',
    'requestContext.routeKey', 'requestContext.connectionId', 'httpMethod', 'resource', 'routeKey', 'version',
    'Records.eventSource', 'Records.eventSourceARN', 'Records.awsRegion', 'Records.eventTime', 'Records.eventName',
    'Records.messageId', 'Records.receiptHandle', 'Records.s3.bucket.name', 'Records.s3.bucket.arn',
  ]),
  request: new Set(['method', 'protocol', 'secure', 'ip', 'app', 'res', 'baseUrl']),
};

/** True when an exact access path names a field the platform sets (`requestContext.requestId`). */
export function isTrustedField(input: InputKind, access: string): boolean {
  const norm = access.replace(/\[[^\]]*\]/g, '').replace(/^\./, '');
  return TRUSTED[input].has(norm);
}
