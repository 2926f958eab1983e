// Shared reading of IAM statements for the iam-* rules: which statements are identity policies,
// which resources are `*`, what an action pattern expands to, and who receives the statement.
import type { StatementModel, TemplateModel, ValueRef } from '../template/model';
import { get, items, str } from '../template/yaml';
import { refName } from '../template/build';
import { actionInfo, expandAction, type ActionInfo } from '../aws/iam-data';

/** Trust policies (`AssumeRolePolicyDocument`) say who may assume a role, not what it may do. */
export function isTrustPolicy(st: StatementModel): boolean {
  return st.origin.endsWith('AssumeRolePolicyDocument');
}

/** Resource policies (bucket, queue, topic…) name a Principal; identity policies never do. */
export function isResourcePolicy(st: StatementModel): boolean {
  return !isTrustPolicy(st) && st.principal !== undefined && st.functions.length === 0;
}

/** An Allow statement in an identity policy (a role, a user, a managed policy) that lists `Action`. */
export function isIdentityAllow(st: StatementModel): boolean {
  return st.effect === 'Allow' && st.actionKey === 'Action' && !isTrustPolicy(st) && !isResourcePolicy(st);
}

/** The `*` items of a `Resource` (intrinsics are never `*`: their value is unknown). */
export function wildcardResources(st: StatementModel): ValueRef[] {
  if (st.resourceKey !== 'Resource') return [];
  return st.resources.filter((r) => r.value?.trim() === '*');
}

/** What `iam-no-wildcard-action` already reports: `*` and `<service>:*`. */
export function isWholeServiceWildcard(action: string): boolean {
  return /^([a-z0-9-]+:)?\*$/i.test(action.trim());
}

/** The actions an `Action` item grants: itself, or every match of a pattern such as `s3:Put*`. */
export function expandItem(action: string): ActionInfo[] {
  const a = action.trim();
  if (!a.includes('*') && !a.includes('?')) {
    const info = actionInfo(a);
    return info ? [info] : [];
  }
  return expandAction(a);
}

/**
 * Who receives a statement: "function `A`", "functions `A`, `B`", "4 functions", else the role
 * its origin names ("role `R`"; for a standalone policy, the roles it is attached to), else
 * "the service's shared role" (Serverless) or "this role".
 */
export function describeGrantee(functions: string[], origin = '', template?: TemplateModel): string {
  if (functions.length === 1) return `function \`${functions[0]}\``;
  if (functions.length > 1 && functions.length <= 3) return `functions ${functions.map((n) => `\`${n}\``).join(', ')}`;
  if (functions.length > 3) return `${functions.length} functions`;
  const m = /^Resources\.([^.]+)\.(Policies|PolicyDocument|ManagedPolicyArns)$/.exec(origin);
  if (m && m[2] !== 'PolicyDocument') return `role \`${m[1]}\``;
  if (m) {
    const res = template?.resources.find((r) => r.id === m[1]);
    const roles = items(get(res?.properties, 'Roles', template?.doc), template?.doc).map((n) => refName(n) ?? str(n)).filter((r): r is string => !!r);
    if (roles.length) return `${roles.length === 1 ? 'role' : 'roles'} ${roles.map((r) => `\`${r}\``).join(', ')}`;
    return `whoever holds policy \`${m[1]}\``;
  }
  if (origin.startsWith('provider.')) return "the service's shared role";
  return 'this role';
}

/** True when describeGrantee names several functions (for verb agreement). */
export function isPlural(functions: string[]): boolean {
  return functions.length > 1;
}

/** `a`, `a and b`, `a, b and c` (or `a, b or c`). */
export function joinWords(words: string[], conjunction = 'and'): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} ${conjunction} ${words[words.length - 1]}`;
}
