// Finds the AWS SDK calls a module makes (v3 commands, lib-dynamodb, lib-storage Upload, v2
// clients), following its local imports a few levels deep. Used to propose least privilege.
import ts from 'typescript';
import type { Span, Workspace } from '../api';
import { memo, type HandlerModel } from '../handler/model';
import { requireSpecifier, skipOuter } from '../handler/build';
import { syntaxIndex } from '../handler/syntax-index';
import { actionsFor, V2_CLASS, DOCUMENT_CLIENT_OPS } from './sdk-actions';
// TypeScript's exports are getters: module-level copies keep hot loops off them.
const { isIdentifier, isNewExpression, isObjectLiteralExpression, isPropertyAccessExpression, isPropertyAssignment, SyntaxKind } = ts;

export interface SdkCall {
  client: string;
  operation: string;
  actions: string[];
  uri: string;
  span: Span;
  /** The request parameters as written (`{ TableName, Key }`), for resource resolution. */
  params?: ts.Expression;
  /** The module the call is in (resolving a parameter reads its local constants). */
  sf: ts.SourceFile;
  /** The call or `new` itself. */
  node: ts.CallExpression | ts.NewExpression;
}

const V2_LOWER_TO_OP = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

/** SDK calls of one module (no imports followed). */
export function moduleSdkCalls(model: HandlerModel): SdkCall[] {
  return memo(model, 'sdk-calls', () => collect(model));
}

/** SDK calls of a module and the local modules it imports (bounded depth). */
export function sdkCallsWithImports(model: HandlerModel, ws: Workspace, depth = 3): SdkCall[] {
  const seen = new Set<string>();
  const out: SdkCall[] = [];
  const visit = (m: HandlerModel, d: number) => {
    if (seen.has(m.uri)) return;
    seen.add(m.uri);
    out.push(...moduleSdkCalls(m));
    if (d <= 0) return;
    for (const imp of m.imports) {
      const next = ws.importedModule(m, imp.specifier);
      if (next) visit(next, d - 1);
    }
  };
  visit(model, depth);
  return out;
}

function clientOfSpecifier(spec: string): string | undefined {
  const m = /^@aws-sdk\/(client-[\w-]+|lib-dynamodb|lib-storage)$/.exec(spec);
  if (m) return m[1].replace(/^client-/, '');
  const v2 = /^aws-sdk\/clients\/(\w+)$/.exec(spec);
  if (v2) return v2Client(v2[1]);
  return undefined;
}

function v2Client(name: string): string | undefined {
  const hit = Object.keys(V2_CLASS).find((k) => k.toLowerCase() === name.toLowerCase());
  return hit ? V2_CLASS[hit] : undefined;
}

function collect(model: HandlerModel): SdkCall[] {
  const sf = model.sf;
  const out: SdkCall[] = [];
  // Local names bound to SDK things: command classes, v2 namespaces/classes.
  const commandClass = new Map<string, string>(); // local name → client
  const v2Namespace = new Set<string>(); // `AWS` from 'aws-sdk'
  const v2ClassLocal = new Map<string, string>(); // local class name → client
  for (const imp of model.imports) {
    const client = clientOfSpecifier(imp.specifier);
    if (imp.specifier === 'aws-sdk') {
      for (const [local, imported] of imp.names) {
        if (imported === '*' || imported === 'default') v2Namespace.add(local);
        else if (V2_CLASS[imported]) v2ClassLocal.set(local, V2_CLASS[imported]);
      }
      continue;
    }
    if (!client) continue;
    for (const [local, imported] of imp.names) {
      if (imported === '*' || imported === 'default') {
        if (imp.specifier.startsWith('aws-sdk/clients/')) v2ClassLocal.set(local, client);
        else v2Namespace.add(`${local}\u0000${client}`); // namespace import of a v3 client
      } else if (/Command$/.test(imported) || (client === 'lib-storage' && imported === 'Upload')) commandClass.set(local, client);
    }
  }
  // Variables holding v2 client instances: `const s3 = new AWS.S3()`.
  const v2Instances = new Map<string, string>();
  const v2ClassOf = (e: ts.Expression): string | undefined => {
    e = skipOuter(e);
    if (isPropertyAccessExpression(e)) {
      // AWS.S3, AWS.DynamoDB.DocumentClient
      if (isIdentifier(e.expression) && v2Namespace.has(e.expression.text)) return V2_CLASS[e.name.text];
      if (e.name.text === 'DocumentClient') return 'lib-dynamodb';
      const r = requireSpecifier(e.expression);
      if (r === 'aws-sdk') return V2_CLASS[e.name.text];
    }
    if (isIdentifier(e)) return v2ClassLocal.get(e.text);
    return undefined;
  };
  const v3NamespaceClient = (e: ts.Expression): string | undefined => {
    if (!isPropertyAccessExpression(e) || !isIdentifier(e.expression)) return undefined;
    const name = e.expression.text;
    for (const key of v2Namespace) {
      const [local, client] = key.split('\u0000');
      if (client && local === name && /Command$/.test(e.name.text)) return client;
    }
    return undefined;
  };
  const push = (client: string, operation: string, node: ts.CallExpression | ts.NewExpression) => {
    let params = node.arguments?.[0];
    // lib-storage: `new Upload({ client, params: { Bucket, Key, Body } })`.
    if (client === 'lib-storage' && params && isObjectLiteralExpression(skipOuter(params))) {
      const p = (skipOuter(params) as ts.ObjectLiteralExpression).properties.find((x) => x.name && isIdentifier(x.name) && x.name.text === 'params');
      params = p && isPropertyAssignment(p) ? p.initializer : undefined;
    }
    out.push({ client, operation, actions: actionsFor(client, operation), uri: model.uri, span: { start: node.getStart(sf), end: node.getEnd() }, params, sf, node });
  };
  // From the module's shared index: instances first (usually declared at module scope before
  // use, but not always), then `new` and calls in source order (pre-order: an outer node first).
  const index = syntaxIndex(model);
  for (const d of index.newVars) {
    if (!isIdentifier(d.name)) continue;
    const c = v2ClassOf((skipOuter(d.initializer!) as ts.NewExpression).expression);
    if (c) v2Instances.set(d.name.text, c);
  }
  const onNew = (n: ts.NewExpression) => {
    const callee = n.expression;
    if (isIdentifier(callee) && commandClass.has(callee.text)) {
      const client = commandClass.get(callee.text)!;
      const op = client === 'lib-storage' ? 'Upload' : callee.text.replace(/Command$/, '');
      push(client, op, n);
    } else {
      const ns = v3NamespaceClient(callee);
      if (ns) push(ns, (callee as ts.PropertyAccessExpression).name.text.replace(/Command$/, ''), n);
    }
  };
  const onCall = (n: ts.CallExpression) => {
    if (!isPropertyAccessExpression(n.expression)) return;
    const target = skipOuter(n.expression.expression);
    const method = n.expression.name.text;
    let client: string | undefined;
    if (isIdentifier(target)) client = v2Instances.get(target.text);
    else if (isPropertyAccessExpression(target) && target.expression.kind === SyntaxKind.ThisKeyword) client = v2Instances.get(target.name.text);
    else if (isNewExpression(target)) client = v2ClassOf(target.expression);
    if (client && !['promise', 'then', 'catch', 'send', 'on', 'createReadStream', 'config'].includes(method)) {
      const op = client === 'lib-dynamodb' ? (DOCUMENT_CLIENT_OPS[V2_LOWER_TO_OP(method)] ? V2_LOWER_TO_OP(method) : '') : V2_LOWER_TO_OP(method);
      if (op) push(client, op, n);
    }
  };
  const { calls, news } = index;
  for (let i = 0, j = 0; i < calls.length || j < news.length;) {
    // Pre-order: the earlier start first; at the same start, the enclosing (longer) node.
    const c = calls[i];
    const n = news[j];
    if (!n || (c && (c.pos < n.pos || (c.pos === n.pos && c.end >= n.end)))) {
      onCall(c);
      i++;
    } else {
      onNew(n);
      j++;
    }
  }
  return out;
}
