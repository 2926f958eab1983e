// Flags Allow statements whose Action is `*` or `<service>:*`, and proposes the exact actions the
// linked handlers call when they can be read from the code.
import { cdkWildcardActions } from '../cdk/check';
import { defineRule, type Fix, type RuleContext, type Related } from '../api';
import type { StatementModel, TemplateModel, ValueRef } from '../template/model';
import { isSeq, isScalar, type Node } from '../template/yaml';
import { sdkCallsWithImports } from '../aws/sdk-calls';
import { expandAction } from '../aws/iam-data';
import { planResources, describeScope } from '../iam/least-privilege';
import { pollerNeeds } from '../aws/event-sources';
import { splitStatementEdit, type NewStatement } from '../iam/statement-edit';

export default defineRule({
  meta: {
    id: 'iam-no-wildcard-action',
    description: 'Disallow IAM Allow statements that grant every action (`*`), every action of a service (`s3:*`), or families of write actions (`s3:Put*`).',
    category: 'iam',
    severity: 'error',
    targets: ['template', 'handler'],
    fix: 'suggestion',
    cwe: ['CWE-250', 'CWE-269'],
    sas: 'SAS-04',
    references: [
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege',
      'https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html',
    ],
    messages: {
      all: 'Allows every action on every AWS service{who}; a compromised function gets them all. List only the actions it needs.',
      service: 'Allows every `{service}` action (`{action}`){who}, including destructive ones; list only the actions it needs.',
      partial: '`{action}` allows {count} actions{who}, including {sample}{more}; list only the actions it needs.',
    },
  },
  check(ctx) {
    if (ctx.input.target === 'handler') return cdkWildcardActions(ctx);
    if (ctx.input.target !== 'template') return;
    const template = ctx.input.template;
    for (const st of template.statements) {
      if (st.effect !== 'Allow' || st.actionKey !== 'Action') continue;
      for (const action of st.actions) {
        const v = action.value;
        if (v === undefined) continue;
        const isAll = v.trim() === '*';
        const service = /^([a-z0-9-]+):\*$/i.exec(v.trim())?.[1];
        if (!isAll && !service) {
          if (/^[a-z0-9-]+:[A-Za-z]*\*[A-Za-z*]*$/i.test(v.trim())) reportPartial(ctx, st, action, v.trim());
          continue;
        }
        const who = st.functions.length ? ` to ${describeFunctions(st.functions)}` : '';
        const inferred = inferActions(ctx, template, st, service);
        const fixes: Fix[] = [];
        const related: Related[] = [];
        if (inferred && inferred.actions.length) {
          const title = formatTitle(v.trim(), inferred.actions.length, service, st.functions, inferred.polled);
          const scoped = scopedFix(ctx, template, st, action, inferred.actions, title);
          fixes.push(scoped ?? { title, kind: 'suggestion', edits: replaceActionEdits(ctx, st, action, inferred.actions) });
          related.push(...inferred.related);
        }
        ctx.report({
          messageId: isAll ? 'all' : 'service',
          span: action.span,
          data: { who, service: service?.toLowerCase() ?? '', action: v.trim() },
          fixes,
          related,
        });
      }
    }
  },
});

/** `s3:Put*`: a warning naming how many actions it grants, from the IAM data set. */
function reportPartial(ctx: RuleContext, st: StatementModel, action: ValueRef, pattern: string): void {
  const granted = expandAction(pattern);
  const level = (a: { level: string }) => (a.level === 'Permissions management' ? 0 : 1);
  const risky = granted.filter((a) => a.level === 'Write' || a.level === 'Permissions management').sort((a, b) => level(a) - level(b));
  // `kinesis:PutRecord*` (PutRecord, PutRecords) is as good as writing both out.
  if (granted.length < 3 && !risky.some((a) => level(a) === 0)) return;
  if (!risky.length) return; // `s3:Get*`, `s3:List*`: read-only families are a reasonable shorthand
  const sample = risky.slice(0, 3).map((a) => a.action).join(', ');
  ctx.report({
    messageId: 'partial',
    span: action.span,
    severity: 'warning',
    data: { action: pattern, count: granted.length, sample, more: risky.length > 3 ? ` and ${risky.length - 3} more write action${risky.length === 4 ? '' : 's'}` : '', who: st.functions.length ? ` to ${describeFunctions(st.functions)}` : '' },
  });
}

function describeFunctions(names: string[]): string {
  if (names.length === 1) return `function \`${names[0]}\``;
  if (names.length <= 3) return `functions ${names.map((n) => `\`${n}\``).join(', ')}`;
  return `${names.length} functions`;
}

function formatTitle(action: string, count: number, service: string | undefined, fns: string[], polled = false): string {
  // A shared role gets the union of what its functions call.
  const what = polled ? 'code and event source mappings use' : 'code calls';
  const whose = fns.length === 1 ? `\`${fns[0]}\`'s ${what}` : `these ${fns.length} functions' ${what} (union over the shared role)`;
  return `Replace \`${action}\` with the ${count} ${service ? `${service} ` : ''}action${count === 1 ? '' : 's'} ${whose}`;
}

/**
 * The actions the statement's functions call, when every one of them links to a handler whose
 * SDK calls we can read. Unknown → no fix (a partial list would break the function).
 */
function inferActions(ctx: RuleContext, template: TemplateModel, st: StatementModel, service: string | undefined): { actions: string[]; related: Related[]; polled: boolean } | undefined {
  if (!st.functions.length) return undefined;
  const actions = new Set<string>();
  const related: Related[] = [];
  let polled = false;
  for (const name of st.functions) {
    const fn = template.functions.find((f) => f.name === name);
    if (!fn) return undefined;
    const linked = ctx.workspace.handlerFor(template, fn);
    if (!linked) return undefined;
    // A hand-written event source mapping polls with this role: dropping its actions stops the trigger.
    for (const need of pollerNeeds(template, fn)) {
      const a = need.action;
      if (service && a.split(':')[0].toLowerCase() !== service.toLowerCase()) continue;
      if (!actions.has(a)) related.push({ uri: template.uri, start: need.span.start, end: need.span.end, message: `${a} is needed by Lambda to poll this event source` });
      actions.add(a);
      polled = true;
    }
    for (const call of sdkCallsWithImports(linked.model, ctx.workspace)) {
      for (const a of call.actions) {
        if (service && a.split(':')[0].toLowerCase() !== service.toLowerCase()) continue;
        if (!actions.has(a)) related.push({ uri: call.uri, start: call.span.start, end: call.span.end, message: `${a} is needed by this call` });
        actions.add(a);
      }
    }
  }
  return { actions: [...actions].sort(), related, polled };
}

/**
 * On `Resource: '*'`, the same actions split into one statement per resource set the code uses
 * them on; actions whose resources cannot be resolved (or that have none) stay on `*` with the
 * statement's other items. Undefined when nothing can be scoped (the plain action fix applies).
 */
function scopedFix(ctx: RuleContext, t: TemplateModel, st: StatementModel, action: ValueRef, inferred: string[], title: string): Fix | undefined {
  if (st.resources.length !== 1 || st.resources[0].value?.trim() !== '*') return undefined;
  // Several whole wildcards in one statement: their fixes would each rewrite the whole statement.
  if (st.actions.filter((a) => a.value !== undefined && /^([a-z0-9-]+:)?\*$/i.test(a.value.trim())).length !== 1) return undefined;
  const plan = planResources(ctx.workspace, t, st, inferred);
  if (!plan || !plan.groups.length) return undefined;
  const others = st.actions.filter((a) => a !== action);
  if (others.some((a) => a.value === undefined)) return undefined;
  const rest = [...plan.rest, ...others.map((a) => a.value!.trim())];
  const statements: NewStatement[] = plan.groups.map((g) => ({ actions: g.actions, arns: g.arns }));
  if (rest.length) statements.push({ actions: rest, arns: [], keep: true });
  const edit = splitStatementEdit(t, st, statements);
  if (!edit) return undefined;
  const scopedCount = plan.groups.reduce((n, g) => n + g.actions.length, 0);
  const left = plan.unresolved.length ? `; ${plan.unresolved.join(', ')} stay${plan.unresolved.length === 1 ? 's' : ''} on \`*\` (resource not resolved from the code)` : '';
  return { title: `${title}, scoped to the ${describeScope(plan.groups)} ${scopedCount === inferred.length ? (scopedCount === 1 ? 'it uses' : 'they use') : `${scopedCount} of them ${scopedCount === 1 ? 'uses' : 'use'}`}${left}`, kind: 'suggestion', edits: [edit] };
}

/** Rewrites one action item into the inferred list, in the style of the surrounding document. */
function replaceActionEdits(ctx: RuleContext, st: StatementModel, action: ValueRef, actions: string[]) {
  const json = ctx.uri.toLowerCase().endsWith('.json') || ctx.text[action.span.start] === '"';
  const q = (a: string) => (json ? JSON.stringify(a) : `'${a}'`);
  const list = st.actionNode;
  if (list && isSeq(list)) {
    const flow = (list as Node & { flow?: boolean }).flow;
    if (flow || json) return [{ start: action.span.start, end: action.span.end, newText: actions.map(q).join(', ') }];
    // Block sequence: first action in place, the others as new items at the same indentation.
    const lineStart = ctx.text.lastIndexOf('\n', action.span.start - 1) + 1;
    const prefix = ctx.text.slice(lineStart, action.span.start);
    const dash = /^(\s*)-\s*/.exec(prefix);
    if (!dash) return [{ start: action.span.start, end: action.span.end, newText: actions.map(q).join(', ') }];
    const more = actions.slice(1).map((a) => `\n${dash[1]}- ${q(a)}`).join('');
    return [{ start: action.span.start, end: action.span.end, newText: q(actions[0]) + more }];
  }
  if (isScalar(action.node)) return [{ start: action.span.start, end: action.span.end, newText: `[${actions.map(q).join(', ')}]` }];
  return [];
}
