// What a template value stands for, in the template's own terms: a plain string (Serverless
// variables kept as written), a `!Sub` text, a `!Ref`/`!GetAtt` of a logical id, or an import.
// Serverless `${self:…}` references that are the whole value are followed to what they name.
import type { EnvVarModel, FunctionModel, TemplateModel } from '../template/model';
import { get, intrinsic, items, rawStr, slsVariables, str, deref, type Node } from '../template/yaml';

export type TValue =
  | { kind: 'text'; text: string }
  | { kind: 'sub'; text: string }
  | { kind: 'ref'; id: string }
  | { kind: 'getatt'; id: string; attr: string }
  | { kind: 'import'; node: Node };

const MAX_DEPTH = 5;

/** The function's environment variable: its own first, then the provider's / Globals'. */
export function envVar(t: TemplateModel, fn: FunctionModel, name: string): EnvVarModel | undefined {
  return fn.environment.find((e) => e.name === name)
    ?? t.environment.find((e) => e.name === name && (e.scope === 'provider' || e.scope === 'globals'));
}

/** Reads a value node; undefined for shapes whose value cannot be written as an ARN (`!If`, `!Join` of unknowns, maps). */
export function templateValue(t: TemplateModel, node: Node | undefined, depth = 0): TValue | undefined {
  const n = deref(node, t.doc);
  if (!n || depth > MAX_DEPTH) return undefined;
  const i = intrinsic(n, t.doc);
  if (i) {
    if (i.fn === 'Ref') {
      const id = str(i.arg) ?? rawStr(i.arg);
      return id ? { kind: 'ref', id } : undefined;
    }
    if (i.fn === 'Fn::GetAtt') {
      const plain = rawStr(i.arg);
      const [id, attr] = plain !== undefined ? splitOnce(plain, '.') : items(i.arg, t.doc).map((x) => str(x) ?? rawStr(x));
      return id && attr ? { kind: 'getatt', id, attr } : undefined;
    }
    if (i.fn === 'Fn::Sub') {
      // Only the one-argument form: a variable map would have to be carried along.
      const text = rawStr(i.arg);
      if (text === undefined) return undefined;
      const whole = /^\$\{([\w:-]+)(?:\.([\w.]+))?\}$/.exec(text);
      if (whole && !whole[1].includes('::')) return whole[2] ? { kind: 'getatt', id: whole[1], attr: whole[2] } : { kind: 'ref', id: whole[1] };
      return { kind: 'sub', text };
    }
    if (i.fn === 'Fn::ImportValue') return { kind: 'import', node: n };
    return undefined;
  }
  const s = str(n);
  if (s === undefined) return undefined;
  if (t.kind === 'serverless') {
    // `${self:custom.table}` as the whole value: what it names may be a `!Ref`, or a plain name.
    const vars = slsVariables(s);
    if (vars.length === 1 && vars[0].raw === s.trim() && vars[0].source === 'self') {
      const target = selfNode(t, vars[0].address);
      const v = target && templateValue(t, target, depth + 1);
      if (v) return v.kind === 'text' ? { kind: 'text', text: s } : v;
    }
  }
  return { kind: 'text', text: s };
}

/** `${self:a.b.c}` → the node at that path of the serverless.yml (no defaults, no nested variables). */
function selfNode(t: TemplateModel, address: string): Node | undefined {
  if (!/^[\w.-]+$/.test(address)) return undefined;
  let cur: Node | undefined = t.doc.contents as Node;
  for (const k of address.split('.')) {
    cur = get(cur, k, t.doc);
    if (cur === undefined) return undefined;
  }
  return cur;
}

/**
 * A Serverless string with its `${self:…}` references replaced by the plain strings they name,
 * so that `${self:custom.bucket}` and `photos-${sls:stage}` compare equal when custom.bucket says so.
 */
export function expandSelf(t: TemplateModel, text: string, depth = 0): string {
  if (t.kind !== 'serverless' || depth > MAX_DEPTH) return text;
  let out = text;
  for (const v of slsVariables(text)) {
    if (v.source !== 'self') continue;
    const target = v.address === 'service' ? undefined : selfNode(t, v.address);
    const value = v.address === 'service' ? t.service : str(target);
    if (value !== undefined) out = out.split(v.raw).join(expandSelf(t, value, depth + 1));
  }
  return out;
}

function splitOnce(s: string, sep: string): [string, string | undefined] {
  const i = s.indexOf(sep);
  return i === -1 ? [s, undefined] : [s.slice(0, i), s.slice(i + 1)];
}
