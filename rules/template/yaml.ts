// YAML/JSON access with source ranges. CloudFormation short-form tags are known so they parse
// cleanly; any other tag is kept on the node (a warning, never an error).
import { parseDocument, visit, isMap, isSeq, isScalar, isPair, isAlias, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import type { Alias, Document, Node, Pair, ParsedNode } from 'yaml';
import type { Span } from '../api';

export type { Node, Document, Pair };
export { isMap, isSeq, isScalar, YAMLMap, YAMLSeq, Scalar };

const CFN_TAGS = [
  'Ref', 'Sub', 'GetAtt', 'Join', 'If', 'Select', 'FindInMap', 'ImportValue', 'Base64', 'Cidr',
  'Equals', 'And', 'Or', 'Not', 'Split', 'GetAZs', 'Condition', 'Transform', 'Length', 'ToJsonString',
];
const customTags = CFN_TAGS.flatMap((name) =>
  (['scalar', 'seq', 'map'] as const).map((kind) => ({
    tag: `!${name}`,
    ...(kind === 'scalar' ? {} : { collection: kind }),
    identify: () => false,
    resolve: (v: unknown) => v,
  })),
) as never[];

export interface ParseProblem extends Span { message: string; severity: 'error' | 'warning' }

export interface ParsedYaml {
  doc: Document.Parsed;
  problems: ParseProblem[];
}

/** Parses YAML or JSON (JSON is YAML). Never throws; alias expansion is bounded. */
export function parseYaml(text: string): ParsedYaml {
  const doc = parseDocument(text, {
    customTags,
    keepSourceTokens: false,
    uniqueKeys: false,
    strict: false,
    prettyErrors: false,
  });
  const problems: ParseProblem[] = doc.errors.map((e) => ({
    start: e.pos[0],
    end: Math.max(e.pos[1], e.pos[0] + 1),
    message: e.message.split('\n')[0],
    severity: 'error',
  }));
  return { doc, problems };
}

/**
 * Follows an alias to its anchored node. Bounded: an alias whose expansion is larger than
 * MAX_ALIAS_EXPANSION nodes (or cyclic), or that would take the document's total expansion past
 * MAX_DOCUMENT_EXPANSION, stays unresolved, so walking every alias of an alias bomb ("billion
 * laughs") visits a bounded number of nodes. (We never call toJS on a whole tree either.)
 */
export function deref(node: unknown, doc?: Document): Node | undefined {
  if (isAlias(node)) return doc ? aliasTarget(node, doc) : undefined;
  return (node ?? undefined) as Node | undefined;
}

export const MAX_ALIAS_EXPANSION = 10_000;
export const MAX_DOCUMENT_EXPANSION = 1_000_000;

/** Per document: alias → the node it stands for (null: unresolved or over the bounds). */
const aliasTargets = new WeakMap<Document, Map<Alias, Node | null>>();

function aliasTarget(alias: Alias, doc: Document): Node | undefined {
  let targets = aliasTargets.get(doc);
  if (!targets) aliasTargets.set(doc, (targets = indexAliases(doc)));
  // An alias not in the document (a node built later): resolve it the library's way.
  if (!targets.has(alias)) return (alias.resolve(doc) as Node | undefined) ?? undefined;
  return targets.get(alias) ?? undefined;
}

/**
 * One walk resolves every alias as YAML does (the last anchor of that name before the alias);
 * `alias.resolve(doc)` walks the whole document on every call instead.
 */
function indexAliases(doc: Document): Map<Alias, Node | null> {
  const anchors = new Map<string, Node>();
  const found: Array<[Alias, Node | undefined]> = [];
  visit(doc, {
    Node: (_key, node) => {
      if (isAlias(node)) found.push([node, anchors.get(node.source)]);
      else if (typeof (node as { anchor?: unknown }).anchor === 'string') anchors.set((node as { anchor: string }).anchor, node as Node);
    },
  });
  const raw = new Map(found.map(([a, t]) => [a, t ?? null]));
  const sizes = new Map<unknown, number>();
  const out = new Map<Alias, Node | null>();
  let total = 0;
  for (const [alias, target] of found) {
    if (!target) {
      out.set(alias, null);
      continue;
    }
    const size = expandedSize(target, raw, sizes);
    if (size > MAX_ALIAS_EXPANSION || total + size > MAX_DOCUMENT_EXPANSION) out.set(alias, null);
    else {
      total += size;
      out.set(alias, target);
    }
  }
  return out;
}

/** Nodes under `root` with aliases expanded; Infinity when cyclic or past MAX_ALIAS_EXPANSION. Iterative: deep nesting is fine. */
function expandedSize(root: unknown, targets: Map<Alias, Node | null>, sizes: Map<unknown, number>): number {
  const childrenOf = (n: unknown): unknown[] => {
    if (isAlias(n)) {
      const t = targets.get(n);
      return t ? [t] : [];
    }
    if (isMap(n)) return n.items.flatMap((p) => (isPair(p) ? [p.key, p.value] : [p]));
    if (isSeq(n)) return n.items;
    return [];
  };
  interface Frame { node: unknown; children: unknown[]; i: number; sum: number }
  const onStack = new Set<unknown>();
  const stack: Frame[] = [];
  const enter = (n: unknown) => {
    onStack.add(n);
    stack.push({ node: n, children: childrenOf(n), i: 0, sum: isAlias(n) ? 0 : 1 });
  };
  if (sizes.has(root)) return sizes.get(root)!;
  enter(root);
  let last = 0;
  while (stack.length) {
    const f = stack[stack.length - 1];
    if (f.i < f.children.length && f.sum <= MAX_ALIAS_EXPANSION) {
      const c = f.children[f.i++];
      if (c == null || typeof c !== 'object') continue;
      const known = sizes.get(c);
      if (known !== undefined) f.sum += known;
      else if (onStack.has(c)) f.sum = Infinity;
      else enter(c);
      continue;
    }
    stack.pop();
    onStack.delete(f.node);
    last = f.sum > MAX_ALIAS_EXPANSION ? Infinity : f.sum;
    sizes.set(f.node, last);
    if (stack.length) stack[stack.length - 1].sum += last;
  }
  return last;
}

export function spanOf(node: unknown): Span | undefined {
  const r = (node as ParsedNode | undefined)?.range;
  if (!r) return undefined;
  return { start: r[0], end: r[1] };
}

/** The pairs of a map, skipping merge keys' plumbing but including `<<` merged maps' pairs. */
export function pairs(node: unknown, doc?: Document): Pair<Node, Node>[] {
  const n = deref(node, doc);
  if (!isMap(n)) return [];
  const out: Pair<Node, Node>[] = [];
  for (const item of n.items as Pair<Node, Node>[]) {
    if (!isPair(item)) continue;
    if (isScalar(item.key) && item.key.value === '<<') {
      const src = deref(item.value, doc);
      const maps = isSeq(src) ? src.items.map((i) => deref(i, doc)) : [src];
      for (const m of maps) if (isMap(m)) out.push(...(m.items as Pair<Node, Node>[]));
      continue;
    }
    out.push(item);
  }
  return out;
}

export function keyName(pair: Pair<unknown, unknown>): string | undefined {
  const k = pair.key;
  if (isScalar(k) && (typeof k.value === 'string' || typeof k.value === 'number')) return String(k.value);
  return undefined;
}

/** The pair for `key` in a map node (last one wins, as in YAML loaders). */
export function getPair(node: unknown, key: string, doc?: Document): Pair<Node, Node> | undefined {
  let found: Pair<Node, Node> | undefined;
  for (const p of pairs(node, doc)) if (keyName(p) === key) found = p;
  return found;
}

export function get(node: unknown, key: string, doc?: Document): Node | undefined {
  const p = getPair(node, key, doc);
  return p ? deref(p.value, doc) : undefined;
}

/** Case-insensitive lookup, for the few places tools accept any case. */
export function getCI(node: unknown, key: string, doc?: Document): Node | undefined {
  const lower = key.toLowerCase();
  let found: Node | undefined;
  for (const p of pairs(node, doc)) if (keyName(p)?.toLowerCase() === lower) found = deref(p.value, doc);
  return found;
}

export function getPath(node: unknown, path: string[], doc?: Document): Node | undefined {
  let cur: unknown = node;
  for (const k of path) {
    cur = get(cur, k, doc);
    if (cur === undefined) return undefined;
  }
  return cur as Node;
}

/** A plain (untagged) scalar's string value; numbers and booleans as text. */
export function str(node: unknown): string | undefined {
  if (!isScalar(node) || node.tag?.startsWith('!')) return undefined;
  const v = node.value;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** A scalar's string value even when tagged (`!Sub 'arn:…'`). */
export function rawStr(node: unknown): string | undefined {
  return isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
}

export function items(node: unknown, doc?: Document): Node[] {
  const n = deref(node, doc);
  if (isSeq(n)) return n.items.map((i) => deref(i, doc)).filter((i): i is Node => i !== undefined);
  return n === undefined ? [] : [n];
}

/** A scalar-or-list field as its items (CloudFormation accepts both for Action, Resource…). */
export function listOrScalar(node: unknown, doc?: Document): Node[] {
  return items(node, doc);
}

export interface Intrinsic { fn: string; arg: Node | undefined; node: Node }

/** `!Ref X` / `{ Ref: X }` / `!Sub …` / `{ 'Fn::Sub': … }` → the function name in long form. */
export function intrinsic(node: unknown, doc?: Document): Intrinsic | undefined {
  const n = deref(node, doc);
  if (!n) return undefined;
  const tag = (n as { tag?: string }).tag;
  if (tag && tag.startsWith('!')) {
    const name = tag.slice(1);
    return { fn: name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`, arg: n, node: n };
  }
  if (isMap(n) && n.items.length === 1) {
    const k = keyName(n.items[0] as Pair<unknown, unknown>);
    if (k && (k === 'Ref' || k === 'Condition' || k.startsWith('Fn::'))) {
      return { fn: k, arg: deref((n.items[0] as Pair<Node, Node>).value, doc), node: n };
    }
  }
  return undefined;
}

/** The contents of a scalar span, without its quotes. */
export function innerSpan(node: unknown, text: string): Span | undefined {
  const s = spanOf(node);
  if (!s || !isScalar(node)) return s;
  const t = (node as Scalar).type;
  if ((t === 'QUOTE_DOUBLE' || t === 'QUOTE_SINGLE') && s.end - s.start >= 2) {
    const q = text[s.start];
    if (q === '"' || q === "'") return { start: s.start + 1, end: s.end - 1 };
  }
  return s;
}

/** Serverless Framework `${source:address}` variables in a string, kept as symbols. */
export interface SlsVariable { source: string; address: string; raw: string }
export function slsVariables(value: string): SlsVariable[] {
  const out: SlsVariable[] = [];
  let i = value.indexOf('${');
  while (i !== -1) {
    let depth = 0;
    let j = i;
    for (; j < value.length; j++) {
      if (value.startsWith('${', j)) { depth++; j++; continue; }
      if (value[j] === '}' && --depth === 0) break;
    }
    if (j >= value.length) break;
    const raw = value.slice(i, j + 1);
    const body = raw.slice(2, -1).trim();
    const m = /^([A-Za-z][\w.-]*)(?:\((.*)\))?:?(.*)$/s.exec(body);
    if (m) {
      const source = m[1];
      out.push({ source: m[2] !== undefined ? `${source}()` : body.includes(':') ? source : 'param', address: m[2] ?? m[3], raw });
    }
    i = value.indexOf('${', j + 1);
  }
  return out;
}

/** True when a string is nothing but variables (and whitespace/punctuation between them). */
export function isOnlyVariables(value: string): boolean {
  const vars = slsVariables(value);
  if (!vars.length) return false;
  let rest = value;
  for (const v of vars) rest = rest.replace(v.raw, '');
  return rest.trim().length === 0;
}
