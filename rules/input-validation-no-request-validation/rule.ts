// API routes whose handler reads the body, query string or path parameters with no validation in
// code (no schema library, no guard on those values) and no request validation in the template
// (Serverless `request.schemas`/required `request.parameters`, SAM `RequestModel` with
// `ValidateBody`/`ValidateParameters` or required `RequestParameters`). HTTP APIs cannot validate
// requests, so there only code counts. The route is named; related information points at the read.
import { defineRule, type Fix, type Related } from '../api';
import type { TemplateModel } from '../template/model';
import { get, items, pairs, str, keyName } from '../template/yaml';
import { templateRoutes, type Route } from '../auth/routes';
import { handlerEntries } from '../taint/sources';
import { relativePath } from '../taint/report';
import { inputUse, type InputPart, type InputRead } from '../validation/input';
import { validationGuardFix } from '../validation/guard-fix';

const PART_NAMES: Record<'event' | 'request', Record<InputPart, string>> = {
  event: { body: 'event.body', query: 'event.queryStringParameters', path: 'event.pathParameters' },
  request: { body: 'req.body', query: 'req.query', path: 'req.params' },
};

export default defineRule({
  meta: {
    id: 'input-validation-no-request-validation',
    description: 'Require request validation, in the template or in the handler, for API routes whose handler reads the body or parameters.',
    category: 'input-validation',
    severity: 'warning',
    targets: ['template'],
    fix: 'suggestion',
    cwe: ['CWE-20'],
    sas: 'SAS-01',
    references: [
      'https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-request-validation.html',
      'https://www.serverless.com/framework/docs/providers/aws/events/apigateway#request-schema-validators',
      'https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-requestmodel.html',
      'https://cheatsheetseries.owasp.org/cheatsheets/Input_Validation_Cheat_Sheet.html',
    ],
    messages: {
      rest: '`{method} {path}` (function `{fn}`) reads `{reads}` ({file}:{line}) without validating {it}, and the template declares no request validation for the route: malformed or hostile input reaches the handler\'s logic. Validate input in the handler with a schema (zod, ajv, joi, middy validator) or add {templateFix}.',
      http: '`{method} {path}` (function `{fn}`) reads `{reads}` ({file}:{line}) without validating {it}; HTTP APIs do not validate requests, so malformed or hostile input reaches the handler\'s logic. Validate input in the handler with a schema (zod, ajv, joi, middy validator) or a guard that returns 400.',
    },
  },
  check(ctx) {
    if (ctx.input.target !== 'template') return;
    const t = ctx.input.template;
    const seen = new Set<string>();
    for (const route of templateRoutes(t)) {
      if (!route.fn || !route.event || (route.kind !== 'rest' && route.kind !== 'http') || route.method === 'OPTIONS') continue;
      const key = `${route.span.start}:${route.span.end}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const linked = ctx.workspace.handlerFor(t, route.fn);
      if (!linked) continue;
      const templateChecks = route.kind === 'rest' ? templateValidation(t, route) : new Set<InputPart>();
      const unchecked: InputRead[] = [];
      let input: 'event' | 'request' = 'event';
      let opaque = false;
      const fixes: Fix[] = [];
      for (const entry of handlerEntries(linked.model, [linked.exportName])) {
        const use = inputUse(linked.model, entry, ctx.workspace);
        input = entry.input;
        opaque ||= use.opaque;
        for (const r of use.reads) {
          if (!use.validated.has(r.part) && !templateChecks.has(r.part) && !unchecked.some((u) => u.part === r.part)) unchecked.push(r);
        }
        // The guard goes into the handler file; one per route (an export has one function).
        if (!fixes.length && use.reads.some((r) => !use.validated.has(r.part) && !templateChecks.has(r.part))) {
          const fix = validationGuardFix(linked.model, entry, ctx.workspace, { uri: linked.uri });
          if (fix) fixes.push(fix);
        }
      }
      if (!unchecked.length || (opaque && input === 'event')) continue;
      const first = unchecked[0];
      const line = linked.model.sf.getLineAndCharacterOfPosition(first.span.start).line + 1;
      const related: Related[] = unchecked.map((r) => ({ uri: linked.uri, ...r.span, message: `\`${PART_NAMES[input][r.part]}\` is read here without validation` }));
      ctx.report({
        messageId: route.kind === 'rest' ? 'rest' : 'http',
        span: route.span,
        data: {
          method: route.method, path: route.path, fn: route.fn.name,
          reads: unchecked.map((r) => PART_NAMES[input][r.part]).join('`, `'),
          file: relativePath(ctx.uri, linked.uri), line, it: unchecked.length > 1 ? 'them' : 'it',
          templateFix: t.kind === 'serverless' ? '`request.schemas` (and required `request.parameters`) to the event' : '`RequestModel` with `ValidateBody: true` (and required `RequestParameters`) to the event',
        },
        related,
        fixes,
      });
    }
  },
});

/** What the template makes API Gateway validate for this route before the function runs. */
function templateValidation(t: TemplateModel, route: Route): Set<InputPart> {
  const out = new Set<InputPart>();
  const node = route.event!.node;
  if (t.kind === 'serverless') {
    const request = get(node, 'request');
    if (get(request, 'schemas')) out.add('body');
    const params = get(request, 'parameters');
    const required = (kind: string) => pairs(get(params, kind)).some((p) => str(p.value) === 'true' || str(get(p.value, 'required')) === 'true');
    if (required('querystrings')) out.add('query');
    if (required('paths')) out.add('path');
    return out;
  }
  const props = get(node, 'Properties');
  const model = get(props, 'RequestModel');
  if (model && str(get(model, 'ValidateBody')) === 'true') out.add('body');
  if (model && str(get(model, 'ValidateParameters')) === 'true') { out.add('query'); out.add('path'); }
  for (const p of items(get(props, 'RequestParameters'))) {
    for (const pair of pairs(p)) {
      const name = keyName(pair) ?? '';
      if (str(get(pair.value, 'Required')) !== 'true') continue;
      if (/^method\.request\.querystring\./.test(name)) out.add('query');
      if (/^method\.request\.path\./.test(name)) out.add('path');
    }
  }
  return out;
}
