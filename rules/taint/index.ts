// Public entry of the taint analysis: flows from a handler's input to sinks, memoised on the
// handler model: one analysis per module version feeds every entry and every taint rule. It is
// reused only while every local module it read is still the same model object (the engine
// builds a new model when a file changes), and re-asking the workspace for those modules keeps
// the engine's dependency tracking intact on a reuse.
import type { Workspace } from '../api';
import { memo, type HandlerModel } from '../handler/model';
import type { Entry, Flow } from './types';
import { Analyzer } from './propagate';
import { sourceLabel, mayBeObject } from './sources';
import { describe } from './values';
import { entryKey, reusedFlows, storeFlows } from './reuse';
import { mayReachSink } from './prefilter';

export type { Entry, Flow, Family, SinkInfo, Step } from './types';
export { handlerEntries } from './sources';
export { SINKS } from './sinks';

/** The taint analysis of one module version: one analyzer (its summaries) and flows per entry. */
interface Shared { analyzer: Analyzer; flows: Map<string, Flow[]>; checkedFor?: Workspace }

/**
 * The module's shared analysis, reused while every local module it read is still the same model
 * object. Checked once per workspace object (the engine makes one per lint), and the check asks
 * the workspace again, so the engine records the dependencies on a reuse too.
 */
function sharedAnalysis(model: HandlerModel, workspace: Workspace | undefined): Shared {
  const slot = memo<{ cur?: Shared }>(model, 'taint', () => ({}));
  const cur = slot.cur;
  if (cur && (cur.checkedFor === workspace || cur.analyzer.deps.every((d) => workspace?.importedModule(d.from, d.specifier) === d.model))) {
    cur.checkedFor = workspace;
    cur.analyzer.workspace = workspace;
    return cur;
  }
  slot.cur = { analyzer: new Analyzer(workspace), flows: new Map(), checkedFor: workspace };
  return slot.cur;
}

/**
 * Flows from `entry`'s input to every known sink, one per (sink call, argument, source).
 * `timeLeft` (the lint's CPU budget) is checked as the analysis runs: when it runs out the
 * analysis throws AnalysisStopped and nothing half-done is kept.
 */
export function taintFlows(model: HandlerModel, entry: Entry, workspace: Workspace | undefined, timeLeft?: () => number): Flow[] {
  const shared = sharedAnalysis(model, workspace);
  const key = entryKey(entry);
  const known = shared.flows.get(key) ?? reusedFlows(model, entry, workspace);
  if (known) {
    shared.flows.set(key, known);
    return known;
  }
  // Most entries reach no sink at all (prefilter.ts): no need to interpret them.
  if (!mayReachSink(model, entry.fn)) {
    shared.flows.set(key, []);
    // Kept for the next version like any result: the decision rests on what the entry reaches.
    storeFlows(model, entry, [], []);
    return [];
  }
  let hits;
  shared.analyzer.timeLeft = timeLeft;
  try {
    hits = shared.analyzer.runEntry(model, entry.fn, { labels: [sourceLabel(model.uri, entry)] });
  } catch (e) {
    // A half-finished run leaves summaries that must not be reused.
    memo<{ cur?: Shared }>(model, 'taint', () => ({})).cur = undefined;
    throw e;
  }
  const flows: Flow[] = [];
  const seen = new Set<string>();
  for (const h of hits) {
    if (h.label.origin.kind !== 'source') continue;
    const structured = mayBeObject(h.label);
    // An object sink (a Mongo filter) is harmed only by input that can be an object.
    if (h.sink.family === 'object' && !structured) continue;
    const desc = describe(h.label);
    const k = `${h.sink.uri}:${h.sink.span.start}:${h.sink.argIndex}:${desc}:${h.callSite?.start ?? ''}`;
    if (seen.has(k)) continue;
    seen.add(k);
    flows.push({
      source: { desc, uri: h.label.origin.uri, span: h.label.span },
      sink: h.sink,
      steps: h.label.steps,
      callSite: h.callSite,
      structured,
    });
  }
  shared.flows.set(key, flows);
  storeFlows(model, entry, flows, shared.analyzer.deps);
  return flows;
}
