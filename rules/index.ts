// The rule registry, sorted by id. Adding a rule: create rules/<id>/rule.ts and list it here.
import type { Rule } from './api';
import iamMissingAction from './iam-missing-action/rule';
import iamNoWildcardAction from './iam-no-wildcard-action/rule';
import iamUnusedAction from './iam-unused-action/rule';
import secretsNoHardcoded from './secrets-no-hardcoded/rule';

export const rules: Rule[] = ([
  iamMissingAction,
  iamNoWildcardAction,
  iamUnusedAction,
  secretsNoHardcoded,
] as Rule[]).sort((a, b) => a.meta.id.localeCompare(b.meta.id));

export function ruleById(id: string): Rule | undefined {
  return rules.find((r) => r.meta.id === id);
}
