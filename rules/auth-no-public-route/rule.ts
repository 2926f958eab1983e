// HTTP routes and function URLs that anyone on the internet can call: no authorizer in the
// template and no identity check in the handler.
import { defineRule, type Fix, type RuleContext } from '../api';
import type { TemplateModel } from '../template/model';
import { str, spanOf, isMap } from '../template/yaml';
import { addChildMap } from '../template/edit';
import { templateRoutes, STATE_CHANGING, type Route } from '../auth/routes';
import { checksIdentity } from '../auth/identity';

export default defineRule({
  meta: {
    id: 'auth-no-public-route',
    description: 'Require an authorizer (or an identity check in the handler) on HTTP routes and function URLs.',
    category: 'auth',
    severity: 'warning',
    targets: ['template'],
    fix: 'suggestion',
    cwe: ['CWE-306'],
    sas: 'SAS-02',
    references: [
      'https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-control-access-to-api.html',
      'https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html',
      'https://owasp.org/www-project-serverless-top-10/',
    ],
    messages: {
      public: '`{method} {path}`{who} has no authorizer{code}: anyone on the internet can call it.',
      apiKeyOnly: '`{method} {path}`{who} is protected only by an API key{code}: API keys identify clients for throttling, they do not authenticate callers.',
      publicUrl: 'The function URL of {who} is public ({detail}){code}: anyone who finds the URL can invoke the function.',
    },
  },
  check(ctx) {
    if (ctx.input.target !== 'template') return;
    const t = ctx.input.template;
    for (const route of templateRoutes(t)) {
      if (route.protection !== 'none' && route.protection !== 'api-key') continue;
      if (route.method === 'OPTIONS') continue; // CORS preflight is public by design
      const linked = route.fn ? ctx.workspace.handlerFor(t, route.fn) : undefined;
      if (linked && checksIdentity(linked.model)) continue; // the handler authenticates
      const who = route.fn ? ` (function \`${route.fn.name}\`)` : '';
      const code = linked ? ' and its handler does not check the caller' : '';
      const readOnly = !STATE_CHANGING.has(route.method);
      ctx.report({
        messageId: route.kind === 'url' ? 'publicUrl' : route.protection === 'api-key' ? 'apiKeyOnly' : 'public',
        span: route.span,
        severity: readOnly && route.kind !== 'url' ? 'info' : 'warning',
        data: { detail: route.detail, method: route.method, path: route.path, who: route.kind === 'url' ? (route.fn ? `\`${route.fn.name}\`` : route.path) : who, code },
        fixes: iamFix(ctx, t, route),
      });
    }
  },
});

/** Require IAM auth: callers must sign requests with AWS credentials (SigV4). */
function iamFix(ctx: RuleContext, t: TemplateModel, route: Route): Fix[] {
  const title = 'Require IAM authorization (callers sign requests with AWS credentials)';
  const node = route.node;
  if (route.kind === 'url' && t.kind === 'serverless' && route.event) {
    // `url: true` → `url: { authorizer: aws_iam }`
    const span = spanOf(route.event.node);
    return span && str(route.event.node) === 'true' ? [{ title, kind: 'suggestion', edits: [{ ...span, newText: '{ authorizer: aws_iam }' }] }] : [];
  }
  if (route.kind === 'url' || (!route.fn && route.kind !== 'websocket')) {
    // `AuthType: NONE` / `AuthorizationType: NONE` → AWS_IAM
    const target = route.detail.startsWith('AuthType') || route.detail.startsWith('AuthorizationType') ? route.span : undefined;
    if (target && /NONE/i.test(ctx.text.slice(target.start, target.end))) {
      const quote = ctx.text[target.start] === '"' || ctx.text[target.start] === "'" ? ctx.text[target.start] : '';
      return [{ title, kind: 'suggestion', edits: [{ ...target, newText: `${quote}AWS_IAM${quote}` }] }];
    }
    return [];
  }
  if (t.kind === 'serverless' && route.event && (route.kind === 'rest' || route.kind === 'http')) {
    const authorizer = route.kind === 'rest' ? 'aws_iam' : '{ type: aws_iam }';
    const value = route.event.node;
    if (isMap(value)) {
      const edit = addChildMap(t.text, value, 'authorizer', 'type', 'aws_iam');
      if (!edit) return [];
      const flat = route.kind === 'rest' ? { ...edit, newText: edit.newText.replace(/authorizer:[\s\S]*$/, 'authorizer: aws_iam') } : edit;
      return [{ title, kind: 'suggestion', edits: [flat] }];
    }
    const s = str(value);
    const span = spanOf(value);
    if (s && span) {
      return [{ title, kind: 'suggestion', edits: [{ ...span, newText: `{ method: ${route.method === 'ANY' ? "'*'" : route.method.toLowerCase()}, path: '${route.path}', authorizer: ${authorizer} }` }] }];
    }
    return [];
  }
  if (route.event && node && isMap(node)) {
    const edit = addChildMap(t.text, node, 'Auth', 'Authorizer', 'AWS_IAM');
    return edit ? [{ title, kind: 'suggestion', edits: [edit] }] : [];
  }
  return [];
}
