// Function summaries: what flows from each parameter to the return value and to sinks,
// computed once per function with placeholder labels and instantiated at every call.
import type { Span } from '../api';
import type { Family, Label, SinkInfo, Step, Value } from './types';
import { ALL_FAMILIES } from './types';
import { CLEAN, allLabels, pushStep, union, unionLabels } from './values';
import { isTrustedField, mayBeObject } from './sources';

/** Taint reaching a sink; `callSite` is the call in the caller's file that leads to another file. */
export interface Hit { label: Label; sink: SinkInfo; callSite?: Span }
export interface Summary { returns: Value; hits: Hit[] }

/**
 * Replaces parameter labels by the labels of the actual arguments: the access path continues
 * (`run(event)` reading `e.body.cmd` names `event.body.cmd`), sanitizers on either side add up,
 * and the steps join at the argument.
 */
export function substitute(s: Summary, args: Value[], stepFor: (i: number) => Step, callerUri: string, callSpan: Span): { hits: Hit[]; returns: Value } {
  const subst = (l: Label): Label[] => {
    if (l.origin.kind !== 'param') return [l];
    const { index, rest } = l.origin;
    const actual = rest ? union(...args.slice(index)) : args[index] ?? CLEAN;
    const projected = l.exact ? project(actual, l.access) : { value: actual, access: '' };
    const step = stepFor(index);
    const out: Label[] = [];
    for (const a of allLabels(projected.value)) {
      const exact = a.exact && l.exact;
      const access = exact ? a.access + projected.access : a.access;
      if (exact && a.origin.kind === 'source' && isTrustedField(a.origin.input, access)) continue;
      const cleared = [...new Set([...a.cleared, ...l.cleared])].sort() as Family[];
      if (ALL_FAMILIES.every((x) => cleared.includes(x))) continue;
      let steps = pushStep(a.steps, step);
      for (const st of l.steps) steps = pushStep(steps, st);
      // The shape: the callee's own (it parsed or stringified), else the argument's.
      const structured = l.structured ?? (exact ? a.structured : mayBeObject(a));
      out.push({ origin: a.origin, access, exact, span: a.span, steps, cleared, ...(structured !== undefined ? { structured } : {}) });
    }
    return out;
  };
  const hits: Hit[] = [];
  for (const h of s.hits) {
    for (const label of subst(h.label)) {
      if (label.cleared.includes(h.sink.family)) continue;
      hits.push({ label, sink: h.sink, callSite: h.sink.uri !== callerUri ? callSpan : h.callSite });
    }
  }
  const substValue = (v: Value): Value => ({
    labels: unionLabels(...v.labels.map(subst)),
    fields: v.fields && new Map([...v.fields].map(([k, x]) => [k, substValue(x)] as const)),
    rest: v.rest && unionLabels(...v.rest.map(subst)),
  });
  return { hits, returns: substValue(s.returns) };
}

/** Follows `.a.b` through known fields of an argument; returns what is left of the path. */
function project(v: Value, access: string): { value: Value; access: string } {
  let rest = access;
  let cur = v;
  for (;;) {
    const m = /^\.([^.[\]]+)/.exec(rest);
    if (!m || !cur.fields) break;
    cur = cur.fields.get(m[1]) ?? { labels: cur.rest ?? [] };
    rest = rest.slice(m[0].length);
  }
  return { value: cur, access: rest };
}
