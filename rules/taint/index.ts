// Public entry of the taint analysis: flows from a handler's input to sinks, memoised on the
// handler model. The memo is reused only while every local module it read is still the same
// model object (the engine builds a new model when a file changes), and re-asking the
// workspace for those modules keeps the engine's dependency tracking intact on a memo hit.
import type { Workspace } from '../api';
import { memo, type HandlerModel } from '../handler/model';
import type { Entry, Flow } from './types';
import { Analyzer, type Dep } from './propagate';
import { sourceLabel, mayBeObject } from './sources';
import { describe } from './values';

export type { Entry, Flow, Family, SinkInfo, Step } from './types';
export { handlerEntries } from './sources';
export { SINKS } from './sinks';

interface Memo { deps: Dep[]; flows: Flow[] }

/** Flows from `entry`'s input to every known sink, one per (sink call, argument, source). */
export function taintFlows(model: HandlerModel, entry: Entry, workspace: Workspace | undefined): Flow[] {
  const key = `taint:${entry.exportName}:${entry.fn.pos}`;
  // One slot per entry: the last result, checked against the current workspace before reuse.
  const slot = memo<{ last?: Memo }>(model, key, () => ({}));
  const last = slot.last;
  if (last && last.deps.every((d) => workspace?.importedModule(d.from, d.specifier) === d.model)) return last.flows;
  const analyzer = new Analyzer(workspace);
  const hits = analyzer.runEntry(model, entry.fn, { labels: [sourceLabel(model.uri, entry)] });
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
  slot.last = { deps: analyzer.deps, flows };
  return flows;
}
