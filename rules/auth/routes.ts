// Every HTTP entry point of a template with the protection the template gives it: authorizer,
// IAM auth, API key only, or none. Read from every place it can be declared: the event, the
// API resource's default authorizer, SAM Globals, the Serverless provider defaults.
import type { Span } from '../api';
import type { TemplateModel, FunctionModel, EventModel } from '../template/model';
import { get, getPath, str, spanOf, type Node } from '../template/yaml';
import { refName } from '../template/build';

export type Protection = 'authorizer' | 'iam' | 'api-key' | 'none' | 'unknown';

export interface Route {
  fn?: FunctionModel;
  event?: EventModel;
  method: string;
  path: string;
  kind: 'rest' | 'http' | 'url' | 'websocket' | 'alb';
  protection: Protection;
  /** Where to point: the event, the method resource, the URL config. */
  span: Span;
  /** What was found, e.g. `authorizer: cognito` or `AuthorizationType: NONE`. */
  detail: string;
  /** The node a fix edits: the event's property map, the URL config, the method. */
  node?: Node;
}

const isNone = (v: string | undefined) => v !== undefined && /^none$/i.test(v);

export function templateRoutes(t: TemplateModel): Route[] {
  const out: Route[] = [];
  const doc = t.doc;
  const root = doc.contents;
  if (t.kind === 'serverless') {
    for (const fn of t.functions) {
      for (const ev of fn.events) {
        if (ev.type === 'http' || ev.type === 'httpApi') {
          const node = ev.node;
          const authorizer = get(node, 'authorizer');
          const isPrivate = /^true$/i.test(str(get(node, 'private')) ?? '');
          const a = str(authorizer) ?? str(get(authorizer, 'type')) ?? (authorizer ? 'custom' : undefined);
          const protection: Protection = a ? (/aws_iam/i.test(a) ? 'iam' : 'authorizer') : isPrivate ? 'api-key' : 'none';
          out.push({ fn, event: ev, method: normMethod(ev.method), path: normPath(ev.path), kind: ev.type === 'http' ? 'rest' : 'http', protection, span: ev.span, detail: a ? `authorizer: ${a}` : isPrivate ? 'private: true' : 'no authorizer', node });
        } else if (ev.type === 'functionUrl') {
          const auth = str(get(ev.node, 'authorizer'));
          out.push({ fn, event: ev, method: 'ANY', path: '(function URL)', kind: 'url', protection: auth && /aws_iam/i.test(auth) ? 'iam' : 'none', span: ev.span, detail: auth ? `authorizer: ${auth}` : 'no authorizer', node: ev.node });
        } else if (ev.type === 'websocket') {
          const route = str(ev.node) ?? str(get(ev.node, 'route'));
          if (route !== '$connect') continue;
          const auth = get(ev.node, 'authorizer');
          out.push({ fn, event: ev, method: 'CONNECT', path: '$connect', kind: 'websocket', protection: auth ? 'authorizer' : 'none', span: ev.span, detail: auth ? 'authorizer' : 'no authorizer', node: ev.node });
        }
      }
    }
  }
  // SAM: implicit and explicit APIs.
  const globalsApi = getPath(root, ['Globals', 'Api', 'Auth']);
  const globalsHttp = getPath(root, ['Globals', 'HttpApi', 'Auth']);
  const apiAuth = (apiId: string | undefined, http: boolean): { def: string | undefined; apiKey: boolean; opaque: boolean } => {
    const res = apiId ? t.resources.find((r) => r.id === apiId) : undefined;
    const auth = res ? get(res.properties, 'Auth') : http ? globalsHttp : globalsApi;
    const fallback = http ? globalsHttp : globalsApi;
    const def = str(get(auth, 'DefaultAuthorizer')) ?? str(get(fallback, 'DefaultAuthorizer'));
    const apiKey = /^true$/i.test(str(get(auth, 'ApiKeyRequired')) ?? '');
    // An API defined by an OpenAPI document declares security there: not read here.
    const opaque = !!res && (get(res.properties, 'DefinitionBody') !== undefined || get(res.properties, 'DefinitionUri') !== undefined);
    return { def, apiKey, opaque };
  };
  for (const fn of t.functions) {
    if (t.kind === 'serverless') break;
    for (const ev of fn.events) {
      const props = get(ev.node, 'Properties');
      if (ev.type === 'http' || ev.type === 'httpApi') {
        const http = ev.type === 'httpApi';
        const apiId = refName(get(props, http ? 'ApiId' : 'RestApiId'));
        const api = apiAuth(apiId, http);
        if (api.opaque) continue;
        const own = get(props, 'Auth');
        const ownAuthorizer = str(get(own, 'Authorizer'));
        const authorizer = ownAuthorizer ?? api.def;
        const apiKey = /^true$/i.test(str(get(own, 'ApiKeyRequired')) ?? '') || api.apiKey;
        let protection: Protection;
        if (authorizer && !isNone(authorizer)) protection = /^aws_iam$/i.test(authorizer) ? 'iam' : 'authorizer';
        else protection = apiKey ? 'api-key' : 'none';
        out.push({ fn, event: ev, method: normMethod(ev.method), path: normPath(ev.path), kind: http ? 'http' : 'rest', protection, span: ev.span, detail: authorizer ? `Authorizer: ${authorizer}` : apiKey ? 'ApiKeyRequired: true' : 'no authorizer', node: props });
      } else if (ev.type === 'functionUrl') {
        const authType = str(get(ev.node, 'AuthType'));
        out.push({ fn, event: ev, method: 'ANY', path: '(function URL)', kind: 'url', protection: isNone(authType) ? 'none' : 'iam', span: spanOf(get(ev.node, 'AuthType')) ?? ev.span, detail: `AuthType: ${authType ?? 'AWS_IAM'}`, node: ev.node });
      }
    }
  }
  // Plain CloudFormation resources (also in SAM and in Serverless `resources`).
  for (const r of t.resources) {
    const p = r.properties;
    if (r.type === 'AWS::ApiGateway::Method') {
      const method = str(get(p, 'HttpMethod'))?.toUpperCase() ?? 'ANY';
      const authType = str(get(p, 'AuthorizationType')) ?? 'NONE';
      const apiKey = /^true$/i.test(str(get(p, 'ApiKeyRequired')) ?? '');
      const protection: Protection = !isNone(authType) ? (/^aws_iam$/i.test(authType) ? 'iam' : 'authorizer') : apiKey ? 'api-key' : 'none';
      const where = get(p, 'AuthorizationType') ?? r.node;
      out.push({ method, path: `Resources.${r.id}`, kind: 'rest', protection, span: (get(p, 'AuthorizationType') ? spanOf(where) : undefined) ?? r.keySpan, detail: `AuthorizationType: ${authType}`, node: p });
    } else if (r.type === 'AWS::ApiGatewayV2::Route') {
      const key = str(get(p, 'RouteKey')) ?? '';
      if (key && key !== '$connect' && key.startsWith('$')) continue; // websocket $default/$disconnect use the connection's auth
      const authType = str(get(p, 'AuthorizationType')) ?? 'NONE';
      const [method, path] = key.includes(' ') ? key.split(' ', 2) : ['ANY', key || '$default'];
      const protection: Protection = !isNone(authType) ? (/^aws_iam$/i.test(authType) ? 'iam' : 'authorizer') : 'none';
      out.push({ method: key === '$connect' ? 'CONNECT' : method.toUpperCase(), path, kind: key === '$connect' ? 'websocket' : 'http', protection, span: spanOf(get(p, 'AuthorizationType')) ?? r.keySpan, detail: `AuthorizationType: ${authType}`, node: p });
    } else if (r.type === 'AWS::Lambda::Url') {
      const authType = str(get(p, 'AuthType'));
      if (!authType) continue;
      out.push({ method: 'ANY', path: `Resources.${r.id}`, kind: 'url', protection: isNone(authType) ? 'none' : 'iam', span: spanOf(get(p, 'AuthType')) ?? r.keySpan, detail: `AuthType: ${authType}`, node: p });
    }
  }
  return out;
}

export const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE', 'ANY', '*', 'CONNECT']);

const normMethod = (m: string | undefined) => (!m || m === '*' ? 'ANY' : m.toUpperCase());
const normPath = (p: string | undefined) => (!p || p === '*' ? '/*' : p.startsWith('/') ? p : `/${p}`);
