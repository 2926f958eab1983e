// Asynchronous invocations that fail are retried twice and then dropped, unless the function has
// a dead-letter queue or an on-failure destination.
import { defineRule } from '../api';
import type { TemplateModel, FunctionModel } from '../template/model';
import { get, getPath } from '../template/yaml';
import { flavorOf, settingsNode, globalsFunction, logicalId, pointsAtFunction, resolveNumber, isAws } from '../functions/settings';
import { asyncTriggers, type AsyncSource } from '../functions/triggers';

const SOURCE_NAMES: Record<AsyncSource, string> = { s3: 'S3', sns: 'SNS', eventbridge: 'EventBridge', schedule: 'a schedule' };

export default defineRule({
  meta: {
    id: 'dos-no-failure-destination',
    description: 'Require a dead-letter queue or an on-failure destination on asynchronously invoked functions.',
    category: 'dos',
    severity: 'info',
    targets: ['template'],
    cwe: ['CWE-754'],
    sas: 'SAS-08',
    references: [
      'https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html',
      'https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html',
    ],
    messages: {
      none: '`{fn}` is invoked asynchronously (by {sources}) and has no on-failure destination or dead-letter queue: when it fails, Lambda drops the event after {retries}, leaving no record of it.',
    },
  },
  check(ctx) {
    if (ctx.input.target !== 'template') return;
    const t = ctx.input.template;
    if (!isAws(t)) return;
    for (const fn of t.functions) {
      const triggers = asyncTriggers(t, fn);
      if (!triggers.length || hasFailureHandling(t, fn)) continue;
      const sources = [...new Set(triggers.map((x) => SOURCE_NAMES[x.source]))];
      const n = retryAttempts(t, fn);
      const retries = n === 0 ? 'the first attempt' : n === 1 ? 'one retry' : n === 2 ? 'two retries' : n === undefined ? 'its retries' : `${n} retries`;
      ctx.report({ messageId: 'none', span: fn.keySpan, data: { fn: fn.name, sources: sources.join(', '), retries } });
    }
  },
});

function hasFailureHandling(t: TemplateModel, fn: FunctionModel): boolean {
  const own = settingsNode(fn);
  const d = t.doc;
  switch (flavorOf(fn)) {
    case 'serverless': {
      if (get(own, 'onError', d) !== undefined || getPath(own, ['destinations', 'onFailure'], d) !== undefined) return true;
      if (get(own, 'deadLetter', d) !== undefined) return true; // serverless-plugin-lambda-dead-letter
      // A `resources` override of the generated function.
      const override = t.resources.find((r) => r.id === logicalId(fn));
      if (get(override?.properties, 'DeadLetterConfig', d) !== undefined) return true;
      break;
    }
    case 'sam': {
      const g = globalsFunction(t);
      if (get(own, 'DeadLetterQueue', d) !== undefined || get(g, 'DeadLetterQueue', d) !== undefined) return true;
      const onFailure = ['EventInvokeConfig', 'DestinationConfig', 'OnFailure'];
      if (getPath(own, onFailure, d) !== undefined || getPath(g, onFailure, d) !== undefined) return true;
      break;
    }
    case 'lambda':
      if (get(own, 'DeadLetterConfig', d) !== undefined) return true;
      break;
  }
  // `AWS::Lambda::EventInvokeConfig` for this function with an on-failure destination.
  return t.resources.some((r) =>
    r.type === 'AWS::Lambda::EventInvokeConfig' &&
    pointsAtFunction(t, get(r.properties, 'FunctionName', d), fn) &&
    getPath(r.properties, ['DestinationConfig', 'OnFailure'], d) !== undefined);
}

/** `MaximumRetryAttempts` for asynchronous invocations: 2 unless the template says otherwise; undefined when unreadable. */
function retryAttempts(t: TemplateModel, fn: FunctionModel): number | undefined {
  const own = settingsNode(fn);
  const d = t.doc;
  const written = flavorOf(fn) === 'serverless'
    ? get(own, 'maximumRetryAttempts', d)
    : flavorOf(fn) === 'sam'
      ? getPath(own, ['EventInvokeConfig', 'MaximumRetryAttempts'], d) ?? getPath(globalsFunction(t), ['EventInvokeConfig', 'MaximumRetryAttempts'], d)
      : undefined;
  const config = t.resources.find((r) => r.type === 'AWS::Lambda::EventInvokeConfig' && pointsAtFunction(t, get(r.properties, 'FunctionName', d), fn));
  const node = written ?? get(config?.properties, 'MaximumRetryAttempts', d);
  return node === undefined ? 2 : resolveNumber(t, node);
}
