// Reading a statement's Condition block: `{ Operator: { key: value | [values] } }`.
import { pairs, keyName, type Document, type Node } from '../template/yaml';

export interface ConditionEntry {
  /** `StringEquals`, `ArnLike`, `StringEqualsIfExists`, `ForAnyValue:StringLike`, … */
  operator: string;
  /** As written; IAM compares condition keys case-insensitively. */
  key: string;
  value: Node | undefined;
}

export function conditionEntries(condition: Node | undefined, doc?: Document): ConditionEntry[] {
  const out: ConditionEntry[] = [];
  for (const op of pairs(condition, doc)) {
    const operator = keyName(op);
    if (!operator) continue;
    for (const kv of pairs(op.value, doc)) {
      const key = keyName(kv);
      if (key) out.push({ operator, key, value: kv.value ?? undefined });
    }
  }
  return out;
}
