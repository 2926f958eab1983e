// An SQS queue must keep a received message hidden for at least as long as the function that
// processes it may run; otherwise Lambda refuses the trigger, or the message is handled twice.
import { defineRule, type Fix, type Related } from '../api';
import { get, getPair, spanOf } from '../template/yaml';
import { functionTimeout, resolveNumber, isAws } from '../functions/settings';
import { sqsTriggers, type SqsTrigger } from '../functions/triggers';
import { setEntry } from '../functions/edit';

/** SQS default visibility timeout and maximum, in seconds. */
const DEFAULT_VISIBILITY = 30;
const MAX_VISIBILITY = 43_200;

export default defineRule({
  meta: {
    id: 'dos-sqs-visibility-timeout',
    description: 'Require an SQS visibility timeout at least as long as the timeout of the function the queue triggers.',
    category: 'dos',
    severity: 'error',
    targets: ['template'],
    fix: 'safe',
    cwe: ['CWE-400'],
    sas: 'SAS-08',
    references: [
      'https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html',
      'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-visibility-timeout.html',
    ],
    messages: {
      short: 'Queue `{queue}` hides a received message for {visibility} s{dflt}, less than the {timeout} s timeout{timeoutFrom} of `{fn}`, which it triggers: Lambda rejects the trigger, or a message reappears while still being processed and is handled twice. AWS recommends 6 × the function timeout.',
    },
  },
  check(ctx) {
    if (ctx.input.target !== 'template') return;
    const t = ctx.input.template;
    if (!isAws(t)) return;
    const byQueue = new Map<string, SqsTrigger[]>();
    for (const trig of sqsTriggers(t)) byQueue.set(trig.queue.id, [...(byQueue.get(trig.queue.id) ?? []), trig]);
    for (const triggers of byQueue.values()) {
      const queue = triggers[0].queue;
      const visNode = get(queue.properties, 'VisibilityTimeout', t.doc);
      const hasVis = getPair(queue.properties, 'VisibilityTimeout', t.doc) !== undefined;
      const visibility = hasVis ? resolveNumber(t, visNode) : DEFAULT_VISIBILITY;
      if (visibility === undefined) continue;
      // The longest-running consumer decides.
      let worst: { trig: SqsTrigger; seconds: number; where: string } | undefined;
      for (const trig of triggers) {
        const to = functionTimeout(t, trig.fn);
        if (to.seconds === undefined) continue;
        if (!worst || to.seconds > worst.seconds) worst = { trig, seconds: to.seconds, where: to.where };
      }
      if (!worst || visibility >= worst.seconds) continue;
      const recommended = Math.min(MAX_VISIBILITY, 6 * worst.seconds + worst.trig.batchWindow);
      const edit = setEntry(t.text, queue.properties, 'VisibilityTimeout', String(recommended), queue.node, 'Properties');
      const fixes: Fix[] = edit ? [{ title: `Set VisibilityTimeout to ${recommended} s (6 × the ${worst.seconds} s function timeout${worst.trig.batchWindow ? ' + the batching window' : ''})`, kind: 'safe', edits: [edit] }] : [];
      const related: Related[] = triggers.map((tr) => ({ uri: ctx.uri, ...tr.span, message: `\`${tr.fn.name}\` is triggered by \`${queue.id}\` here` }));
      ctx.report({
        messageId: 'short',
        span: (hasVis ? spanOf(visNode) : undefined) ?? queue.keySpan,
        data: {
          queue: queue.id,
          visibility,
          dflt: hasVis ? '' : ' (the SQS default)',
          timeout: worst.seconds,
          timeoutFrom: worst.where === 'default' ? ' (the default)' : worst.where === 'provider' ? ' (provider.timeout)' : worst.where === 'globals' ? ' (Globals.Function.Timeout)' : '',
          fn: worst.trig.fn.name,
        },
        fixes,
        related,
      });
    }
  },
});
