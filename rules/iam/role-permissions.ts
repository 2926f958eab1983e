// What a function's role grants, when the template says all of it: its inline statements, with
// no external role, no SAM policy template and no managed policy beyond the logging basics.
import type { FunctionModel, StatementModel, TemplateModel } from '../template/model';
import { globMatch } from './glob';

/** Managed policies that grant nothing a handler's SDK calls would need. */
const BASIC_POLICIES = new Set(['AWSLambdaBasicExecutionRole', 'AWSLambdaVPCAccessExecutionRole', 'AWSXRayDaemonWriteAccess', 'AWSLambdaBasicDurableExecutionRolePolicy']);

export interface RolePermissions {
  /** False when part of the role is defined elsewhere: no conclusion may be drawn. */
  known: boolean;
  statements: StatementModel[];
}

export function rolePermissions(t: TemplateModel, fn: FunctionModel): RolePermissions {
  const statements = t.statements.filter((s) => s.functions.includes(fn.name));
  const managed = t.managedPolicies.filter((p) => p.functions.includes(fn.name));
  const known =
    !fn.externalRole &&
    !fn.policyTemplates.length &&
    managed.every((p) => p.awsManaged && p.name && BASIC_POLICIES.has(p.name)) &&
    statements.every((s) => s.effect !== undefined && s.actionKey === 'Action' && s.actions.every((a) => a.value !== undefined));
  return { known, statements };
}

function patternMatches(pattern: string, action: string): boolean {
  return globMatch(pattern, action, true);
}

/** Does an Allow (not overridden by a Deny) grant the action on some resource? Conditions are ignored. */
export function grants(statements: StatementModel[], action: string): boolean {
  const matching = (effect: string) =>
    statements.some((s) => s.effect === effect && s.actionKey === 'Action' && s.actions.some((a) => a.value !== undefined && patternMatches(a.value.trim(), action)));
  const deniedEverywhere = statements.some((s) => s.effect === 'Deny' && s.actionKey === 'Action' && s.actions.some((a) => a.value !== undefined && patternMatches(a.value.trim(), action)) && s.resources.some((r) => r.value?.trim() === '*') && !s.condition);
  return matching('Allow') && !deniedEverywhere;
}
