// A function that may run for 15 minutes bills 15 minutes whenever it hangs; one behind API
// Gateway keeps running (and billing) long after the client was sent a 504.
import { defineRule, type Fix } from '../api';
import type { FunctionModel } from '../template/model';
import type { Node } from '../template/yaml';
import { functionTimeout, MAX_TIMEOUT, type Timeout, isAws } from '../functions/settings';
import { apiTriggers } from '../functions/triggers';
import { replaceScalar } from '../functions/edit';

const API_NAMES = { rest: 'a REST API route', websocket: 'a WebSocket route', http: 'an HTTP API route' } as const;

export default defineRule({
  meta: {
    id: 'dos-no-max-timeout',
    description: 'Limit function timeouts: not the 900 s maximum, and not beyond API Gateway\'s 29 s for API functions.',
    category: 'dos',
    severity: 'warning',
    targets: ['template'],
    fix: 'suggestion',
    cwe: ['CWE-400', 'CWE-770'],
    sas: 'SAS-08',
    references: [
      'https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html',
      'https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html',
      'https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html',
    ],
    messages: {
      max: '{subject} a timeout of {timeout} s, the Lambda maximum: a hung call or a retry loop is billed for 15 minutes per invocation before Lambda stops it. Set the timeout to what the work needs.',
      api: '{subject} a timeout of {timeout} s but {serves}: API Gateway returns 504 to the client after {limit} s, while the function keeps running, and billing, for up to {timeout} s.',
    },
  },
  check(ctx) {
    if (ctx.input.target !== 'template') return;
    const t = ctx.input.template;
    if (!isAws(t)) return;
    // One finding per written timeout: `provider.timeout` / `Globals.Function.Timeout` is shared.
    const groups = new Map<Node, { to: Timeout; fns: FunctionModel[] }>();
    for (const fn of t.functions) {
      const to = functionTimeout(t, fn);
      if (to.seconds === undefined || !to.node || !to.span) continue;
      const g = groups.get(to.node) ?? { to, fns: [] };
      g.fns.push(fn);
      groups.set(to.node, g);
    }
    for (const { to, fns } of groups.values()) {
      const seconds = to.seconds!;
      // Functions that only serve API routes, all of which give up before the function does. A
      // function with other triggers (a queue, a function URL) may need its timeout for those.
      const overApi = fns
        .map((fn) => ({ fn, apis: apiTriggers(t, fn) }))
        .filter(({ fn, apis }) => apis.length && apis.length === fn.events.length && apis.every((a) => a.limit !== undefined && seconds > a.limit));
      const where = to.where === 'provider' ? '`provider.timeout`' : to.where === 'globals' ? '`Globals.Function.Timeout`' : undefined;
      if (overApi.length) {
        const kinds = [...new Set(overApi.flatMap((x) => x.apis.map((a) => a.kind)))];
        const limit = Math.max(...overApi.flatMap((x) => x.apis.map((a) => a.limit!)));
        const subject = where
          ? `${where} gives ${overApi.length === 1 ? `\`${overApi[0].fn.name}\`` : `${overApi.length} API functions`}`
          : `\`${overApi[0].fn.name}\` has`;
        // Just under the earliest point where API Gateway gives up (29 s for the default limits).
        const first = Math.min(...overApi.flatMap((x) => x.apis.map((a) => a.limit!)));
        const target = Math.max(1, first > 30 ? Math.floor(first) : Math.min(29, Math.floor(first)));
        // A shared timeout is only lowered when every function using it serves an API.
        const edit = overApi.length === fns.length ? replaceScalar(t.text, to.node, String(target)) : undefined;
        const fixes: Fix[] = edit ? [{ title: `Set the timeout to ${target} s, within API Gateway's integration timeout`, kind: 'suggestion', edits: [edit] }] : [];
        ctx.report({
          messageId: 'api',
          span: to.span!,
          data: { subject, timeout: seconds, limit, serves: `${overApi.length === 1 ? 'it serves' : 'they serve'} ${kinds.map((k) => API_NAMES[k]).join(' and ')}` },
          fixes,
        });
      } else if (seconds >= MAX_TIMEOUT) {
        const subject = where ? `${where} gives ${fns.length === 1 ? `\`${fns[0].name}\`` : `${fns.length} functions`}` : `\`${fns[0].name}\` has`;
        ctx.report({ messageId: 'max', span: to.span!, data: { subject, timeout: seconds } });
      }
    }
  },
});
