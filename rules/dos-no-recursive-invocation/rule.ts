// A function that writes to the bucket, queue, topic or stream that triggers it invokes itself:
// every write is a new event, and the loop runs (and bills) until something breaks it. Both ends
// are resolved (the code's resource through the function's environment, the event's resource in
// the template); an unresolved name is never guessed.
import { defineRule, type Related } from '../api';
import type { FunctionModel, TemplateModel } from '../template/model';
import type { SdkCall } from '../aws/sdk-calls';
import { sdkCallsWithImports } from '../aws/sdk-calls';
import { callArgs, resolveValue } from '../aws/resources';
import { identities } from '../aws/identity';
import { eventSources, type EventSource } from '../aws/event-sources';
import { literalEnds, type CodeValue } from '../aws/code-values';
import { prefixForClient } from '../aws/sdk-actions';

/** The IAM actions that create the event a trigger of that kind delivers. */
const WRITES: Record<EventSource['kind'], RegExp> = {
  bucket: /^s3:PutObject$/i,
  queue: /^sqs:SendMessage$/i,
  topic: /^sns:Publish$/i,
  stream: /^kinesis:PutRecords?$/i,
  table: /^dynamodb:(PutItem|UpdateItem|DeleteItem|BatchWriteItem)$/i,
};

const TARGET: Record<EventSource['kind'], (name: string) => string> = {
  bucket: (n) => `the S3 bucket \`${n}\` that triggers it`,
  queue: (n) => `the SQS queue \`${n}\` that triggers it`,
  topic: (n) => `the SNS topic \`${n}\` that triggers it`,
  stream: (n) => `the Kinesis stream \`${n}\` that triggers it`,
  table: (n) => `the DynamoDB table \`${n}\`, whose stream triggers it`,
};

const REMEDY: Record<EventSource['kind'], string> = {
  bucket: 'filter the event with a prefix or suffix its own writes never match',
  queue: 'cap how often a message may come back (a counter in its attributes)',
  topic: 'filter the subscription so that its own messages do not match',
  stream: 'skip the records it wrote itself',
  table: 'skip the stream records of its own writes',
};

export default defineRule({
  meta: {
    id: 'dos-no-recursive-invocation',
    description: 'Disallow functions that write to the bucket, queue, topic or stream that triggers them.',
    category: 'dos',
    severity: 'warning',
    targets: ['template'],
    cwe: ['CWE-674'],
    sas: 'SAS-08',
    references: [
      'https://docs.aws.amazon.com/lambda/latest/dg/invocation-recursion.html',
      'https://docs.aws.amazon.com/lambda/latest/dg/with-s3-example.html',
    ],
    messages: {
      loop: '`{fn}` writes to {target} ({calls} in its code): each write invokes it again, a loop that runs and bills until something breaks it. Write somewhere else, or {remedy}.',
    },
  },
  check(ctx) {
    if (ctx.input.target !== 'template') return;
    const t = ctx.input.template;
    for (const fn of t.functions) {
      const sources = eventSources(t, fn);
      if (!sources.length) continue;
      const linked = ctx.workspace.handlerFor(t, fn);
      if (!linked) continue;
      const calls = sdkCallsWithImports(linked.model, ctx.workspace);
      for (const src of sources) {
        const hits = calls.filter((c) => writesTo(t, fn, c, src));
        if (!hits.length) continue;
        const related: Related[] = hits.map((c) => ({ uri: c.uri, start: c.span.start, end: c.span.end, message: `this ${c.operation} call writes to \`${src.label}\`, which triggers \`${fn.name}\`` }));
        const actions = [...new Set(hits.flatMap((c) => c.actions.filter((a) => WRITES[src.kind].test(a))))];
        ctx.report({
          messageId: 'loop',
          span: src.span,
          data: {
            fn: fn.name, target: TARGET[src.kind](src.label), calls: actions.map((a) => `\`${a}\``).join(', '), remedy: REMEDY[src.kind],
          },
          related,
        });
      }
    }
  },
});

/** Does this call write to the event's resource (and, for S3, to keys the event's filter lets through)? */
function writesTo(t: TemplateModel, fn: FunctionModel, call: SdkCall, src: EventSource): boolean {
  const writes = call.actions.filter((a) => WRITES[src.kind].test(a));
  if (!writes.length) return false;
  if (src.kind === 'table' && prefixForClient(call.client) !== 'dynamodb') return false;
  if (src.kind === 'bucket' && src.onCreate === false) return false;
  const args = callArgs(call);
  if (!args) return false;
  return args.some((arg) => {
    if (arg.actions && !arg.actions.some((a) => writes.includes(a))) return false;
    if (arg.kind !== src.kind) return false;
    const v = resolveValue(t, fn, arg.value);
    if (!v) return false; // never guess
    const ids = identities(t, src.kind, v);
    if (!ids.some((id) => src.ids.includes(id))) return false;
    return src.kind !== 'bucket' || !avoidsFilter(arg.key, src);
  });
}

/** True when the written key visibly cannot match the event's prefix or suffix filter. */
function avoidsFilter(key: CodeValue | undefined, src: EventSource): boolean {
  if (!key || (src.prefix === undefined && src.suffix === undefined)) return false;
  const { head, tail, exact } = literalEnds(key);
  const text = exact ? key.map((p) => (p.kind === 'literal' ? p.text : '')).join('') : undefined;
  if (src.prefix) {
    const p = src.prefix;
    const compatible = text !== undefined ? text.startsWith(p) : head.startsWith(p) || p.startsWith(head);
    if (!compatible) return true;
  }
  if (src.suffix) {
    const s = src.suffix;
    const compatible = text !== undefined ? text.endsWith(s) : tail.endsWith(s) || s.endsWith(tail);
    if (!compatible) return true;
  }
  return false;
}
