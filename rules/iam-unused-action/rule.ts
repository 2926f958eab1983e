// Granted actions no handler of the role calls: candidates to remove. Only drawn for services the
// code does use (a service it never touches may be used by a library or a trigger).
import { defineRule } from '../api';
import type { TemplateModel } from '../template/model';
import { sdkCallsWithImports } from '../aws/sdk-calls';

/** Actions used by Lambda itself or by the SDK on the code's behalf, never called directly. */
const IMPLICIT = [
  /^kms:(Decrypt|Encrypt|GenerateDataKey.*|DescribeKey|ReEncrypt.*)$/i, // encrypted tables, queues, objects
  /^sqs:(ReceiveMessage|DeleteMessage|GetQueueAttributes|ChangeMessageVisibility)$/i, // SQS triggers
  /^dynamodb:(GetRecords|GetShardIterator|DescribeStream|ListStreams)$/i, // stream triggers
  /^kinesis:(GetRecords|GetShardIterator|DescribeStream.*|ListShards|ListStreams|SubscribeToShard)$/i,
  /^(logs|xray|cloudwatch):/i,
  /^ec2:(Create|Describe|Delete)NetworkInterface.*$/i, // VPC functions
  /^s3:(GetObjectVersion|ListBucket)$/i, // needed by GetObject for 404 vs 403 and versioned reads
  /^dynamodb:(DescribeTable|ConditionCheckItem)$/i,
];

export default defineRule({
  meta: {
    id: 'iam-unused-action',
    description: 'Limit function roles to the AWS actions their handlers call.',
    category: 'iam',
    severity: 'info',
    targets: ['template'],
    fix: 'suggestion',
    cwe: ['CWE-250'],
    sas: 'SAS-04',
    references: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege'],
    messages: {
      unused: '`{action}` is granted to {who} but no handler of this role calls it; remove it unless something other than the code needs it.',
    },
  },
  check(ctx) {
    if (ctx.input.target !== 'template') return;
    const t = ctx.input.template;
    const calledBy = new Map<string, { actions: Set<string>; services: Set<string> } | undefined>();
    const called = (name: string) => {
      if (!calledBy.has(name)) calledBy.set(name, callsOf(ctx.workspace, t, name));
      return calledBy.get(name);
    };
    for (const st of t.statements) {
      if (st.effect !== 'Allow' || st.actionKey !== 'Action' || !st.functions.length) continue;
      const sets = st.functions.map(called);
      if (sets.some((s) => !s)) continue; // a handler we cannot read: no conclusion
      const actions = new Set(sets.flatMap((s) => [...s!.actions]));
      const services = new Set(sets.flatMap((s) => [...s!.services]));
      for (const a of st.actions) {
        const v = a.value?.trim();
        if (!v || v.includes('*') || !v.includes(':')) continue;
        const lower = v.toLowerCase();
        if (actions.has(lower) || !services.has(lower.split(':')[0]) || IMPLICIT.some((re) => re.test(v))) continue;
        // Remove the item's line from a block list that keeps at least one action.
        const lineStart = ctx.text.lastIndexOf('\n', a.span.start - 1) + 1;
        const canRemove = st.actions.length > 1 && /^\s*-\s*$/.test(ctx.text.slice(lineStart, a.span.start));
        const lineEnd = ctx.text.indexOf('\n', a.span.end);
        ctx.report({
          messageId: 'unused',
          span: a.span,
          fixes: canRemove ? [{ title: `Remove \`${v}\` from this statement`, kind: 'suggestion', edits: [{ start: lineStart, end: lineEnd === -1 ? ctx.text.length : lineEnd + 1, newText: '' }] }] : [],
          data: { action: v, who: st.functions.length === 1 ? `function \`${st.functions[0]}\`` : `functions ${st.functions.map((f) => `\`${f}\``).join(', ')}` },
        });
      }
    }
  },
});

function callsOf(ws: Parameters<typeof sdkCallsWithImports>[1], t: TemplateModel, name: string) {
  const fn = t.functions.find((f) => f.name === name);
  const linked = fn && ws.handlerFor(t, fn);
  if (!linked) return undefined;
  const calls = sdkCallsWithImports(linked.model, ws);
  const actions = new Set(calls.flatMap((c) => c.actions.map((a) => a.toLowerCase())));
  return { actions, services: new Set([...actions].map((a) => a.split(':')[0])) };
}
