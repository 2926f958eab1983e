// A public route with nothing that caps it: every request becomes an invocation, so a flood takes
// the account's whole Lambda concurrency (throttling every other function) and is billed in full.
import { defineRule, type Related } from '../api';
import type { TemplateModel, FunctionModel } from '../template/model';
import { get, getPath, items, pairs, type Node } from '../template/yaml';
import { functionSetting, provider, isAws } from '../functions/settings';
import { publicRouteFunctions } from '../auth/route-functions';
import type { Route } from '../auth/routes';

export default defineRule({
  meta: {
    id: 'dos-no-reserved-concurrency',
    description: 'Require reserved concurrency or API throttling on functions behind public routes.',
    category: 'dos',
    severity: 'info',
    targets: ['template'],
    cwe: ['CWE-770'],
    sas: 'SAS-08',
    references: [
      'https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html',
      'https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html',
      'https://www.serverless.com/framework/docs/providers/aws/guide/functions#reserved-concurrency',
    ],
    messages: {
      all: 'The {count} functions behind public routes ({fns}) have no reserved concurrency and the API has no throttling: a flood of requests can take all of the account\'s Lambda concurrency, throttling every other function, and every invocation is billed.',
      public: '`{fn}` answers a public route ({route}) with no reserved concurrency and no API throttling: a flood of requests can take all of the account\'s Lambda concurrency, throttling every other function, and every invocation is billed.',
    },
  },
  check(ctx) {
    if (ctx.input.target !== 'template') return;
    const t = ctx.input.template;
    if (!isAws(t)) return;
    const exposed = publicRouteFunctions(t);
    if (!exposed.size || apiThrottled(t)) return;
    const uncapped = [...exposed].filter(([fn]) => !hasReservedConcurrency(t, fn));
    // No function of the template is capped: one finding, not one per function (the decision is
    // the template's, and one API throttle fixes them all).
    if (uncapped.length > 1 && uncapped.length === exposed.size && !t.functions.some((fn) => hasReservedConcurrency(t, fn))) {
      const [fn] = uncapped[0];
      const related: Related[] = uncapped.slice(1, 10).map(([f, routes]) => ({ uri: t.uri, ...f.keySpan, message: `\`${f.name}\` answers ${describe(routes[0])}` }));
      ctx.report({ messageId: 'all', span: fn.keySpan, data: { count: uncapped.length, fns: nameList(uncapped.map(([f]) => f.name)) }, related });
      return;
    }
    for (const [fn, routes] of uncapped) {
      const related: Related[] = routes.slice(0, 5).map((r) => ({ uri: t.uri, ...r.span, message: `Public route ${describe(r)}` }));
      ctx.report({ messageId: 'public', span: fn.keySpan, data: { fn: fn.name, route: describe(routes[0]) + (routes.length > 1 ? ` and ${routes.length - 1} more` : '') }, related });
    }
  },
});

function nameList(names: string[]): string {
  const q = names.map((n) => `\`${n}\``);
  return q.length <= 4 ? q.join(', ') : `${q.slice(0, 4).join(', ')} and ${q.length - 4} more`;
}

function describe(r: Route): string {
  return r.kind === 'url' ? 'its function URL' : `\`${r.method} ${r.path}\``;
}

/**
 * Reserved concurrency of any size caps the function (0 disables it); a value from a parameter or
 * a variable is the author's sizing, trusted. Serverless `reservedConcurrency`; SAM/CloudFormation
 * `ReservedConcurrentExecutions` (SAM also in `Globals.Function`).
 */
function hasReservedConcurrency(t: TemplateModel, fn: FunctionModel): boolean {
  return functionSetting(t, fn, 'ReservedConcurrentExecutions', 'reservedConcurrency').where !== 'default';
}

/**
 * Throttling declared anywhere on the template's APIs: stage method settings, HTTP API route
 * settings, usage plans, the Serverless usage plan or throttling plugin. One API's throttling
 * cannot be told from another's in every layout, so any of it keeps the rule quiet.
 */
function apiThrottled(t: TemplateModel): boolean {
  const d = t.doc;
  const root = d.contents;
  if (t.kind === 'serverless') {
    const p = provider(t);
    const usagePlans = items(getPath(p, ['apiGateway', 'usagePlan'], d), d);
    if (usagePlans.some((u) => get(u, 'throttle', d) !== undefined || pairs(u, d).some((kv) => get(kv.value, 'throttle', d) !== undefined))) return true;
    if (getPath(root, ['custom', 'apiGatewayThrottling'], d) !== undefined) return true;
  }
  const throttles = (n: Node | undefined) => hasThrottle(t, n);
  if (throttles(getPath(root, ['Globals', 'Api', 'MethodSettings'], d))) return true;
  if (throttles(getPath(root, ['Globals', 'HttpApi', 'DefaultRouteSettings'], d)) || throttles(getPath(root, ['Globals', 'HttpApi', 'RouteSettings'], d))) return true;
  for (const r of t.resources) {
    const p = r.properties;
    switch (r.type) {
      case 'AWS::Serverless::Api':
      case 'AWS::ApiGateway::Stage':
        if (throttles(get(p, 'MethodSettings', d))) return true;
        break;
      case 'AWS::ApiGateway::Deployment':
        if (throttles(getPath(p, ['StageDescription', 'MethodSettings'], d)) || throttles(get(p, 'StageDescription', d))) return true;
        break;
      case 'AWS::Serverless::HttpApi':
      case 'AWS::ApiGatewayV2::Stage':
        if (throttles(get(p, 'DefaultRouteSettings', d)) || throttles(get(p, 'RouteSettings', d))) return true;
        break;
      case 'AWS::ApiGateway::UsagePlan':
        if (get(p, 'Throttle', d) !== undefined) return true;
        break;
    }
  }
  return false;
}

/** A `ThrottlingRateLimit` / `ThrottlingBurstLimit` somewhere in a settings map or list of them. */
function hasThrottle(t: TemplateModel, node: Node | undefined, depth = 0): boolean {
  if (node === undefined || depth > 3) return false;
  for (const item of items(node, t.doc)) {
    for (const kv of pairs(item, t.doc)) {
      const key = String((kv.key as { value?: unknown } | null)?.value ?? '');
      if (/^Throttling(Rate|Burst)Limit$/.test(key)) return true;
      if (hasThrottle(t, kv.value as Node, depth + 1)) return true;
    }
  }
  return false;
}
