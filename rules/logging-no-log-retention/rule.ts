// CloudWatch Logs keeps log events forever unless a retention is set: storage that only grows,
// and whatever personal data or tokens reached the logs, kept indefinitely.
import { defineRule, type Fix } from '../api';
import { get, getPair, getPath, items, str, spanOf } from '../template/yaml';
import { appendToBlockMap } from '../template/edit';
import { flavorOf, provider, isAws } from '../functions/settings';
import { setEntry } from '../functions/edit';

const DAYS = '30';

export default defineRule({
  meta: {
    id: 'logging-no-log-retention',
    description: 'Require a retention period on CloudWatch log groups.',
    category: 'logging',
    severity: 'info',
    targets: ['template'],
    fix: 'safe',
    cwe: ['CWE-779'],
    sas: 'SAS-05',
    references: [
      'https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html#SettingLogRetention',
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-logs-loggroup.html',
      'https://www.serverless.com/framework/docs/providers/aws/guide/serverless.yml#general-function-settings',
    ],
    messages: {
      logGroup: 'Log group `{id}` has no `RetentionInDays`: its events are kept forever, so storage grows without bound and any personal data or tokens that reached the logs are kept indefinitely.',
      service: 'No `provider.logRetentionInDays`: CloudWatch keeps the logs of {fns} forever, so storage grows without bound and any personal data or tokens that reached them are kept indefinitely.',
    },
  },
  check(ctx) {
    if (ctx.input.target !== 'template') return;
    const t = ctx.input.template;
    if (!isAws(t)) return;
    for (const r of t.resources) {
      if (r.type !== 'AWS::Logs::LogGroup' || getPair(r.properties, 'RetentionInDays', t.doc) !== undefined) continue;
      const edit = setEntry(t.text, r.properties, 'RetentionInDays', DAYS, r.node, 'Properties');
      const fixes: Fix[] = edit ? [{ title: `Keep the log group's events for ${DAYS} days`, kind: 'safe', edits: [edit] }] : [];
      ctx.report({ messageId: 'logGroup', span: r.keySpan, data: { id: r.id }, fixes });
    }
    if (t.kind !== 'serverless') return;
    const p = provider(t);
    const d = t.doc;
    if (!p || get(p, 'logRetentionInDays', d) !== undefined) return;
    // The serverless-plugin-log-retention plugin reads `custom.logRetentionInDays`.
    const plugins = items(get(t.doc.contents, 'plugins', d) ?? getPath(t.doc.contents, ['plugins', 'modules'], d), d).map(str);
    if (plugins.includes('serverless-plugin-log-retention') && getPath(t.doc.contents, ['custom', 'logRetentionInDays'], d) !== undefined) return;
    // Functions sending their logs to a log group set elsewhere, or with their own retention, are fine.
    if (getPath(p, ['logs', 'lambda', 'logGroup'], d) !== undefined) return;
    const open = t.functions.filter((f) =>
      flavorOf(f) === 'serverless' &&
      get(f.node, 'logRetentionInDays', d) === undefined &&
      !/^true$/i.test(str(get(f.node, 'disableLogs', d)) ?? ''));
    if (!open.length) return;
    const span = spanOf(getPair(t.doc.contents, 'provider', d)?.key);
    if (!span) return;
    const edit = appendToBlockMap(t.text, p, 'logRetentionInDays', DAYS);
    ctx.report({
      messageId: 'service',
      span,
      data: { fns: open.length === 1 ? `function \`${open[0].name}\`` : `${open.length} functions` },
      fixes: edit ? [{ title: `Keep the functions' logs for ${DAYS} days (provider.logRetentionInDays)`, kind: 'safe', edits: [edit] }] : [],
    });
  },
});
