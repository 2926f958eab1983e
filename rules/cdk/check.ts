// The CDK side of the IAM rules: the same checks as on templates, on statements written in CDK
// code. Each IAM rule calls the function for its check, so ids, config and suppressions match.
import type { RuleContext } from '../api';
import { cdkModel } from './model';

function model(ctx: RuleContext) {
  return ctx.input.target === 'handler' ? cdkModel(ctx.input.handler) : undefined;
}

/** `actions: ['*']`, `['s3:*']` in an Allow statement. */
export function cdkWildcardActions(ctx: RuleContext): void {
  for (const st of model(ctx)?.statements ?? []) {
    if (st.effect !== 'Allow') continue;
    for (const a of st.actions) {
      const v = a.value?.trim();
      if (!v) continue;
      const service = /^([a-z0-9-]+):\*$/i.exec(v)?.[1];
      if (v === '*') ctx.report({ messageId: 'all', span: a.span, data: { who: '', action: v, service: '' } });
      else if (service) ctx.report({ messageId: 'service', span: a.span, data: { who: '', action: v, service: service.toLowerCase() } });
    }
  }
}

/** `notActions` / `notResources` in an Allow statement. */
export function cdkNotAction(ctx: RuleContext): void {
  for (const st of model(ctx)?.statements ?? []) {
    if (st.effect !== 'Allow') continue;
    const excluded = (list: { value: string | undefined }[]) => list.map((x) => (x.value ? `\`${x.value}\`` : 'a computed value')).join(', ');
    if (st.notActions.length) ctx.report({ messageId: 'notAction', span: { start: st.notActions[0].span.start, end: st.notActions[st.notActions.length - 1].span.end }, data: { who: 'its principals', excluded: excluded(st.notActions) } });
    if (st.notResources.length) {
      ctx.report({
        messageId: 'notResource', severity: 'warning',
        span: { start: st.notResources[0].span.start, end: st.notResources[st.notResources.length - 1].span.end },
        data: { who: 'its principals', actions: st.actions.map((a) => `\`${a.value ?? '?'}\``).join(', ') || 'its actions', excluded: excluded(st.notResources) },
      });
    }
  }
}

/** `new AnyPrincipal()`, `new StarPrincipal()`, `new ArnPrincipal('*')` outside a conditional statement; `addPermission` without a source. */
export function cdkPublicPrincipals(ctx: RuleContext): void {
  const m = model(ctx);
  if (!m) return;
  for (const p of m.principals) {
    if (p.inConditionalStatement) continue;
    ctx.report({ messageId: 'cdkPublic', span: p.span, data: { principal: ctx.text.slice(p.span.start, p.span.end) } });
  }
  for (const p of m.permissions) {
    if (p.hasSource || !/ServicePrincipal\(\s*['"`]([\w.-]+)/.test(p.principal)) continue;
    const service = /ServicePrincipal\(\s*['"`]([\w.-]+)/.exec(p.principal)![1];
    ctx.report({ messageId: 'permissionService', severity: 'warning', span: p.span, data: { service, fn: 'this function' } });
  }
}

/** `ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess')` and friends. */
export function cdkManagedPolicies(ctx: RuleContext, classify: (name: string) => { messageId: string; severity?: 'warning'; data: Record<string, string> } | undefined): void {
  for (const p of model(ctx)?.managedPolicies ?? []) {
    const r = classify(p.name);
    if (r) ctx.report({ messageId: r.messageId, severity: r.severity, span: p.span, data: r.data });
  }
}
