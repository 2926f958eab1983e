// Least privilege from the code: for the actions of a statement, the resources the functions'
// handlers use them on (the union over every function sharing the role), grouped into one
// statement per resource set. An action whose resource cannot be resolved for every call stays on
// what the statement had: the proposal is never narrower than what the code needs.
import type { Related, Workspace } from '../api';
import type { StatementModel, TemplateModel } from '../template/model';
import { sdkCallsWithImports } from '../aws/sdk-calls';
import { actionScopes } from '../aws/resources';
import { pollerNeeds } from '../aws/event-sources';
import { arnKey, type ArnExpr } from '../aws/arns';

export interface ResourceGroup { actions: string[]; arns: ArnExpr[] }

export interface ResourcePlan {
  /** One statement each: actions that need exactly these ARNs. */
  groups: ResourceGroup[];
  /** Actions that keep the statement's current Resource (no resource type, not resolved, or not called). */
  rest: string[];
  /** Of `rest`, the ones the code calls on a resource we could not resolve. */
  unresolved: string[];
  related: Related[];
}

/**
 * Plans resources for `actions` (exact action names) granted by `st`. Undefined when a function
 * of the statement has no readable handler (nothing can be concluded).
 */
export function planResources(ws: Workspace, t: TemplateModel, st: StatementModel, actions: string[]): ResourcePlan | undefined {
  if (!st.functions.length) return undefined;
  const wanted = new Map(actions.map((a) => [a.toLowerCase(), a]));
  const arns = new Map<string, Map<string, ArnExpr>>(); // action → arn key → arn
  const unresolved = new Set<string>();
  const anyResource = new Set<string>();
  const related: Related[] = [];
  for (const name of st.functions) {
    const fn = t.functions.find((f) => f.name === name);
    const linked = fn && ws.handlerFor(t, fn);
    if (!fn || !linked) return undefined;
    // Lambda polls hand-written event source mappings with the function's role.
    for (const need of pollerNeeds(t, fn)) {
      const action = wanted.get(need.action.toLowerCase());
      if (!action) continue;
      if (!need.arn) { unresolved.add(action); continue; }
      const m = arns.get(action) ?? new Map<string, ArnExpr>();
      m.set(arnKey(need.arn), need.arn);
      arns.set(action, m);
      related.push({ uri: t.uri, start: need.span.start, end: need.span.end, message: `Lambda needs ${action} on this event source to poll it` });
    }
    for (const call of sdkCallsWithImports(linked.model, ws)) {
      for (const scope of actionScopes(t, fn, call)) {
        const action = wanted.get(scope.action.toLowerCase());
        if (!action) continue;
        if (!scope.resolved) unresolved.add(action);
        else if (scope.anyResource) anyResource.add(action);
        else {
          const m = arns.get(action) ?? new Map<string, ArnExpr>();
          for (const a of scope.arns) m.set(arnKey(a), a);
          arns.set(action, m);
          related.push({ uri: call.uri, start: call.span.start, end: call.span.end, message: `${action} is used on this resource here` });
        }
      }
    }
  }
  const byKeys = new Map<string, ResourceGroup>();
  const rest: string[] = [];
  for (const action of actions) {
    const m = arns.get(action);
    if (!m || unresolved.has(action) || anyResource.has(action)) { rest.push(action); continue; }
    const keys = [...m.keys()].sort();
    const k = keys.join('\n');
    const g = byKeys.get(k) ?? { actions: [], arns: keys.map((x) => m.get(x)!) };
    g.actions.push(action);
    byKeys.set(k, g);
  }
  // A module shared by several functions of the role is one location, not one per function.
  const seen = new Set<string>();
  const unique = related.filter((r) => {
    const k = `${r.uri}\u0000${r.start}\u0000${r.message}`;
    return !seen.has(k) && !!seen.add(k);
  });
  return { groups: [...byKeys.values()], rest, unresolved: actions.filter((a) => unresolved.has(a)), related: unique };
}

/** "1 table", "2 buckets", … for fix titles. */
export function describeScope(groups: ResourceGroup[]): string {
  const n = new Set(groups.flatMap((g) => g.arns.map(arnKey))).size;
  return `${n} resource${n === 1 ? '' : 's'}`;
}
