// Flags shell commands built from the handler's input (the Lambda event, or `req` of an express
// app behind serverless-http): command injection. Flows come from the shared taint analysis;
// this rule picks the shell sinks, names the template event that delivers the input, and offers
// the execFile rewrite when it is exact.
import ts from 'typescript';
import { defineRule, type Fix, type Related, type RuleContext, type LinkedFunction } from '../api';
import type { EventModel } from '../template/model';
import { handlerEntries, taintFlows, type Flow } from '../taint/index';
import { execFileFix } from './fix';

export default defineRule({
  meta: {
    id: 'handler-no-exec-with-event-input',
    description: 'Disallow shell commands built from event or request input in Lambda handlers.',
    category: 'input-validation',
    severity: 'error',
    targets: ['handler'],
    fix: 'suggestion',
    cwe: ['CWE-78'],
    sas: 'SAS-01',
    references: [
      'https://owasp.org/www-community/attacks/Command_Injection',
      'https://cheatsheetseries.owasp.org/cheatsheets/OS_Command_Injection_Defense_Cheat_Sheet.html',
      'https://nodejs.org/api/child_process.html#spawning-shell-scripts',
    ],
    messages: {
      shell: '`{source}`{origin} reaches a shell command; an attacker can run any command. Pass arguments as an array to execFile without a shell.',
      program: '`{source}`{origin} chooses the program `{callee}` runs; an attacker can run any program. Use a fixed program name and pass input only as arguments.',
      imported: '`{source}`{origin} is passed to `{via}`, which runs it in a shell command ({file}:{line}); an attacker can run any command. Pass arguments as an array to execFile without a shell.',
    },
  },
  check(ctx) {
    if (ctx.input.target !== 'handler') return;
    const model = ctx.input.handler;
    const linked = ctx.workspace.functionsFor(model);
    const entries = handlerEntries(model, [...new Set(linked.map((l) => l.exportName))]);
    const reported = new Set<string>();
    for (const entry of entries) {
      const origin = describeOrigin(linked.filter((l) => l.exportName === entry.exportName));
      const flows = taintFlows(model, entry, ctx.workspace)
        .filter((f) => f.sink.family === 'shell')
        // Per sink call, the most telling flow first: injection into a shell, then the command argument.
        .sort((a, b) => Number(b.sink.shell) - Number(a.sink.shell) || a.sink.argIndex - b.sink.argIndex);
      for (const flow of flows) {
        const local = flow.sink.uri === ctx.uri;
        const span = local ? flow.sink.span : flow.callSite;
        if (!span || reported.has(`${span.start}:${span.end}`)) continue;
        reported.add(`${span.start}:${span.end}`);
        report(ctx, flow, span, origin, local);
      }
    }
  },
});

function report(ctx: RuleContext, flow: Flow, span: { start: number; end: number }, origin: string, local: boolean): void {
  const model = ctx.input.target === 'handler' ? ctx.input.handler : undefined;
  if (!model) return;
  const related: Related[] = [];
  if (flow.source.span && flow.source.uri === ctx.uri) {
    related.push({ uri: ctx.uri, ...flow.source.span, message: `\`${flow.source.desc}\` is read here` });
  }
  const data: Record<string, string | number> = { source: flow.source.desc, origin, callee: flow.sink.callee };
  if (!local) {
    related.push({ uri: flow.sink.uri, ...flow.sink.span, message: `\`${flow.sink.callee}\` runs a shell command here` });
    const via = ctx.text.slice(span.start, span.end);
    data.via = via.slice(0, via.indexOf('(') > 0 ? via.indexOf('(') : via.length).trim();
    data.file = relativePath(ctx.uri, flow.sink.uri);
    data.line = flow.sink.line;
    ctx.report({ messageId: 'imported', span, data, related });
    return;
  }
  const fixes: Fix[] = [];
  if (flow.sink.shell && flow.sink.argIndex === 0) {
    const call = callAt(model.sf, span);
    const fix = call && execFileFix(model, call);
    if (fix) fixes.push(fix);
  }
  ctx.report({ messageId: flow.sink.shell ? 'shell' : 'program', span, data, fixes, related });
}

/** " from the public HTTP API route GET /convert/{file}" for the events that invoke this export. */
function describeOrigin(fns: LinkedFunction[]): string {
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
function describeEvent(e: EventModel): string | undefined {
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

function callAt(sf: ts.SourceFile, span: { start: number; end: number }): ts.CallExpression | undefined {
  // Iterative descent into the one child that contains the span: deep trees must not overflow.
  let node: ts.Node = sf;
  for (;;) {
    if (ts.isCallExpression(node) && node.getStart() === span.start && node.end === span.end) return node;
    let next: ts.Node | undefined;
    ts.forEachChild(node, (c) => {
      if (!next && c.pos <= span.start && span.end <= c.end) next = c;
    });
    if (!next) return undefined;
    node = next;
  }
}

/** `lib/run.js` relative to the handler's folder (rules have no `path` module). */
function relativePath(from: string, to: string): string {
  const a = from.split(/[\\/]/).slice(0, -1);
  const b = to.split(/[\\/]/);
  let i = 0;
  while (i < a.length && i < b.length - 1 && a[i] === b[i]) i++;
  return [...a.slice(i).map(() => '..'), ...b.slice(i)].join('/');
}
