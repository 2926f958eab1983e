// Who points at a resource: the resources whose properties mention it through `!Ref`,
// `!GetAtt` or a `${Id}` / `${Id.Attr}` inside `!Sub`.
import type { TemplateModel, ResourceModel } from '../template/model';
import { intrinsic, rawStr, items, pairs, isMap, isSeq, deref, type Node } from '../template/yaml';
import { refName } from '../template/build';

/** Does anything under `node` refer to the logical id `id`? Bounded depth; aliases followed once. */
export function mentions(t: TemplateModel, node: Node | undefined, id: string, depth = 0): boolean {
  const n = deref(node, t.doc);
  if (!n || depth > 40) return false;
  const i = intrinsic(n, t.doc);
  if (i) {
    if (i.fn === 'Ref' || i.fn === 'Fn::GetAtt') return refName(n) === id;
    if (i.fn === 'Fn::Sub') {
      const text = rawStr(i.arg) ?? rawStr(items(i.arg, t.doc)[0]);
      if (text && new RegExp(`\\$\\{${escapeRegExp(id)}(\\.[\\w.]+)?\\}`).test(text)) return true;
      const vars = items(i.arg, t.doc)[1];
      return vars !== undefined && mentions(t, vars, id, depth + 1);
    }
    // Other functions: look inside their arguments (a short-form tag is its own argument).
    if (i.arg !== n) return mentions(t, i.arg, id, depth + 1);
  }
  if (isMap(n)) return pairs(n, t.doc).some((p) => mentions(t, p.value as Node, id, depth + 1));
  if (isSeq(n)) return items(n, t.doc).some((c) => mentions(t, c, id, depth + 1));
  return false;
}

/** The resources (other than `id` itself) whose definition refers to `id`. */
export function referrers(t: TemplateModel, id: string): ResourceModel[] {
  return t.resources.filter((r) => r.id !== id && mentions(t, r.node, id));
}

/** A logical id is a template key: any text, matched literally. */
function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
