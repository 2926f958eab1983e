// Operations on abstract values. Values are immutable; every operation returns a new one, so
// branch environments can share them safely.
import type { Family, Label, Step, Value } from './types';
import { ALL_FAMILIES } from './types';

export const CLEAN: Value = { labels: [] };
/** Enough labels to explain a finding; more only costs time. */
const MAX_LABELS = 6;
const MAX_STEPS = 12;

/** Carries any label, fields included (the same as `allLabels(v).length > 0`, without building the list). */
export function isTainted(v: Value): boolean {
  if (v.labels.length || v.rest?.length) return true;
  if (v.fields) for (const x of v.fields.values()) if (isTainted(x)) return true;
  return false;
}

export function labelKey(l: Label): string {
  const o = l.origin.kind === 'source' ? `s:${l.origin.uri}:${l.origin.base}:${l.span?.start ?? ''}` : `p:${l.origin.index}`;
  return `${o}${l.access}|${l.cleared.join(',')}|${l.structured ?? ''}`;
}

export function unionLabels(...lists: (readonly Label[] | undefined)[]): readonly Label[] {
  const out: Label[] = [];
  const seen = new Set<string>();
  for (const list of lists) {
    for (const l of list ?? []) {
      const k = labelKey(l);
      if (seen.has(k)) continue;
      seen.add(k);
      out.push(l);
      if (out.length >= MAX_LABELS) return out;
    }
  }
  return out;
}

/** Everything a value carries, fields included (for when the whole object flows on). */
export function allLabels(v: Value): readonly Label[] {
  if (!v.fields) return v.labels;
  return unionLabels(v.labels, v.rest, ...[...v.fields.values()].map(allLabels));
}

export function union(...vs: Value[]): Value {
  const tainted = vs.filter(isTainted);
  if (tainted.length === 0) return CLEAN;
  if (tainted.length === 1) return tainted[0].validates ? { ...tainted[0], validates: undefined } : tainted[0];
  return { labels: unionLabels(...tainted.map(allLabels)) };
}

/**
 * The value with all field structure dropped and labels marked as no longer a plain read. The
 * result is built text (a template, a concatenation, a method's result): not an object any more.
 */
export function derived(v: Value): Value {
  const labels = allLabels(v);
  if (!labels.length) return CLEAN;
  return { labels: labels.map((l) => (l.exact || l.structured !== false ? { ...l, exact: false, structured: false } : l)) };
}

/** The labels of a value that is copied whole into another object (`{ ...body }`): shape kept. */
export function copiedLabels(v: Value): readonly Label[] {
  return allLabels(v).map((l) => (l.exact ? { ...l, exact: false } : l));
}

/**
 * `JSON.parse(x)`: any JSON value, objects included, the caller chose. A plain read stays one,
 * so `JSON.parse(event.body).email` is named `event.body.email`.
 */
export function parsed(v: Value): Value {
  const labels = allLabels(v);
  if (!labels.length) return CLEAN;
  return { labels: labels.map((l) => ({ ...l, structured: true })) };
}

export function withStep(v: Value, step: Step): Value {
  if (!v.labels.length && !v.fields) return v;
  const add = (ls: readonly Label[]) => ls.map((l) => ({ ...l, steps: pushStep(l.steps, step) }));
  return { ...v, labels: add(v.labels), rest: v.rest && add(v.rest) };
}

export function pushStep(steps: readonly Step[], step: Step): readonly Step[] {
  const last = steps[steps.length - 1];
  if (last && last.uri === step.uri && last.span.start === step.span.start && last.span.end === step.span.end) return steps;
  const next = [...steps, step];
  // Keep the first hops (near the source) and the last ones (near the sink).
  return next.length > MAX_STEPS ? [...next.slice(0, 4), ...next.slice(next.length - (MAX_STEPS - 4))] : next;
}

/** Marks `families` as sanitized; a label cleared for every family is dropped. */
export function clear(v: Value, families: readonly Family[]): Value {
  if (!families.length) return v;
  const f = (ls: readonly Label[] | undefined) => ls && clearLabels(ls, families);
  const fields = v.fields && new Map([...v.fields].map(([k, x]) => [k, clear(x, families)] as const));
  return { labels: f(v.labels)!, fields, rest: f(v.rest) };
}

export function clearLabels(ls: readonly Label[], families: readonly Family[]): Label[] {
  const out: Label[] = [];
  for (const l of ls) {
    const cleared = [...new Set([...l.cleared, ...families])].sort() as Family[];
    if (ALL_FAMILIES.every((x) => cleared.includes(x))) continue;
    out.push({ ...l, cleared });
  }
  return out;
}

/** Labels that still matter for a sink of `family`. */
export function liveFor(labels: readonly Label[], family: Family): Label[] {
  return labels.filter((l) => !l.cleared.includes(family));
}

export function describe(l: Label): string {
  return l.origin.kind === 'source' ? `${l.origin.base}${l.access}` : `param${l.origin.index}${l.access}`;
}

/** Merges the values of a variable from two branches. */
export function join(a: Value | undefined, b: Value | undefined): Value {
  if (!a) return b ?? CLEAN;
  if (!b) return a;
  if (a === b) return a;
  if (a.fields && b.fields) {
    const fields = new Map<string, Value>();
    for (const k of new Set([...a.fields.keys(), ...b.fields.keys()])) fields.set(k, join(a.fields.get(k), b.fields.get(k)));
    return { labels: unionLabels(a.labels, b.labels), fields, rest: unionLabels(a.rest, b.rest) };
  }
  const validates = a.validates && b.validates && a.validates.key === b.validates.key && a.validates.when === b.validates.when ? a.validates : undefined;
  return { labels: unionLabels(allLabels(a), allLabels(b)), validates };
}

/** Elements of an iterable value (`for (const r of event.Records)`). */
export function elementOf(v: Value): Value {
  const labels = allLabels(v);
  return labels.length ? { labels: labels.map((l) => (l.exact ? { ...l, access: l.access + '[]' } : l)) } : CLEAN;
}

/** `const { a, ...rest } = v`: rest has v's fields but `a`. */
export function withoutFields(v: Value, taken: string[]): Value {
  if (!v.fields) return v;
  return { labels: v.labels, fields: new Map([...v.fields].filter(([k]) => !taken.includes(k))), rest: v.rest };
}

/** Writes `value` at `path` inside `v` (`opts.cmd = x`); unknown shapes just absorb the taint. */
export function setField(v: Value, path: string[], value: Value, compound: boolean): Value {
  if (!path.length) return compound ? union(v, value) : value;
  if (v.fields && path[0] !== '*') {
    const fields = new Map(v.fields);
    fields.set(path[0], setField(v.fields.get(path[0]) ?? { labels: v.rest ?? [] }, path.slice(1), value, compound));
    return { ...v, fields };
  }
  if (!isTainted(value)) return v;
  return { ...v, labels: unionLabels(v.labels, derived(value).labels) };
}
