// Taint results carried from one version of an open file to the next. An entry's flows depend
// only on the top-level statements its code can reach by name (its own, the functions and
// constants it names, transitively) and on the local modules it followed. After an edit, an
// entry whose reachable statements the edit did not touch, and that names nothing the edit
// declared or undeclared, keeps its flows with positions shifted; only the others are analysed
// again. A keystroke inside one function of a 40-handler module re-analyses the handlers that
// reach that function.
import ts from 'typescript';
import type { Span, Workspace } from '../api';
import type { HandlerModel } from '../handler/model';
import { textChange } from '../handler/reparse';
import type { Dep } from './propagate';
import type { Entry, Flow } from './types';
import { declaredNames, reach as reachOf } from '../handler/reach';

/** The flows of one entry and what they were computed from (positions of the version stored). */
interface Stored {
  flows: Flow[];
  /** Start and end of every top-level statement the entry can reach. */
  ranges: Array<[number, number]>;
  /** Every name those statements mention. */
  names: Set<string>;
  /** `from` undefined: this file. */
  moduleDeps: ReadonlyArray<{ from: HandlerModel | undefined; specifier: string; model: HandlerModel | undefined }>;
}

/** One version of a file: its text, the names each top-level statement declares, the results. */
interface FileRecord {
  text: string;
  imports: string;
  decls: Array<{ start: number; end: number; names: string[] }>;
  results: Map<string, Stored>;
}

/** Open files whose results are kept (least recently used first out). */
const MAX_FILES = 32;
const records = new Map<string, FileRecord>();

export function entryKey(entry: Entry): string {
  return [entry.exportName, entry.fn.end, entry.base, entry.input, entry.parsedBody ? 1 : 0].join('\0');
}

/**
 * The stored flows of `entry` when they still hold for `model` (an open buffer's version), with
 * positions moved to it; undefined when the entry must be analysed.
 */
export function reusedFlows(model: HandlerModel, entry: Entry, workspace: Workspace | undefined): Flow[] | undefined {
  const rec = recordFor(model);
  const stored = rec?.results.get(entryKey(entry));
  if (!stored) return undefined;
  const current = stored.moduleDeps.every((d) => workspace?.importedModule(d.from ?? model, d.specifier) === d.model);
  return current ? stored.flows : undefined;
}

/** Keeps `entry`'s flows for the next version of an open buffer. */
export function storeFlows(model: HandlerModel, entry: Entry, flows: Flow[], moduleDeps: readonly Dep[]): void {
  if (!model.live) return;
  let rec = records.get(model.uri);
  if (!rec || rec.text !== model.text) {
    rec = { text: model.text, imports: importsOf(model), decls: topDeclarations(model.sf), results: new Map() };
    remember(model.uri, rec);
  }
  const { statements, names } = reachOf(model.sf, entry.fn);
  const ranges = [...statements].map((st): [number, number] => [st.getStart(model.sf), st.end]);
  // Deps read from this file name no version of it (an old model would stay alive with them).
  const deps = moduleDeps.map((d) => ({ from: d.from.uri === model.uri ? undefined : d.from, specifier: d.specifier, model: d.model }));
  rec.results.set(entryKey(entry), { flows, ranges, names, moduleDeps: deps });
}

/** The record for `model`'s text: the stored one, or the one before carried over the edit. */
function recordFor(model: HandlerModel): FileRecord | undefined {
  const rec = records.get(model.uri);
  if (!rec || rec.text === model.text) return rec;
  if (!model.live) return undefined;
  const next = carry(rec, model);
  remember(model.uri, next);
  return next;
}

function remember(uri: string, rec: FileRecord): void {
  records.delete(uri);
  records.set(uri, rec);
  if (records.size > MAX_FILES) records.delete(records.keys().next().value!);
}

/**
 * What each top-level statement declares, over its full range: leading comments included, so
 * that uncommenting a declaration (an edit before its first token) counts as touching it.
 */
function topDeclarations(sf: ts.SourceFile): FileRecord['decls'] {
  return sf.statements.map((st) => ({ start: st.pos, end: st.end, names: declaredNames(st) }));
}

/** The modules a file imports: some sink checks read them (a Mongo receiver), whoever names them. */
function importsOf(model: HandlerModel): string {
  return [...new Set(model.imports.map((i) => i.specifier))].sort().join('\0');
}

/** The results of `rec` that the edit to `model.text` leaves standing, moved to the new positions. */
function carry(rec: FileRecord, model: HandlerModel): FileRecord {
  const c = textChange(rec.text, model.text);
  const decls = topDeclarations(model.sf);
  const touches = (s: number, e: number, end: number) => s <= end && e >= c.start;
  // Names declared before or after the edit by a statement it touches: anything naming them may
  // resolve differently now.
  const changedNames = new Set<string>();
  for (const d of rec.decls) if (touches(d.start, d.end, c.oldEnd)) d.names.forEach((n) => changedNames.add(n));
  for (const d of decls) if (touches(d.start, d.end, c.newEnd)) d.names.forEach((n) => changedNames.add(n));
  const starts = new Map(model.sf.statements.map((st) => [st.getStart(model.sf), st.end]));
  const move = (p: number): number | undefined => (p < c.start ? p : p > c.oldEnd ? p + c.newEnd - c.oldEnd : undefined);
  const out: FileRecord = { text: model.text, imports: importsOf(model), decls, results: new Map() };
  if (out.imports !== rec.imports) return out;
  for (const [key, s] of rec.results) {
    if ([...changedNames].some((n) => s.names.has(n))) continue;
    // Every statement it reaches is untouched and still a top-level statement of the new tree
    // (an opened comment or string can swallow the code after it).
    const ranges = s.ranges.map(([a, b]) => (touches(a, b, c.oldEnd) ? undefined : [move(a)!, move(b)!] as [number, number]));
    if (ranges.some((r) => !r || starts.get(r[0]) !== r[1])) continue;
    const flows = moveFlows(s.flows, model, move);
    const k = moveKey(key, move);
    if (flows && k) out.results.set(k, { ...s, flows, ranges: ranges as Array<[number, number]> });
  }
  return out;
}

function moveKey(key: string, move: (p: number) => number | undefined): string | undefined {
  const parts = key.split('\0');
  const end = move(Number(parts[1]));
  if (end === undefined) return undefined;
  parts[1] = String(end);
  return parts.join('\0');
}

/** The flows with every position in this file moved; undefined when one falls in the edit. */
function moveFlows(flows: Flow[], model: HandlerModel, move: (p: number) => number | undefined): Flow[] | undefined {
  let ok = true;
  const span = (uri: string, s: Span | undefined): Span | undefined => {
    if (!s || uri !== model.uri) return s;
    const start = move(s.start);
    const end = move(s.end);
    if (start === undefined || end === undefined) {
      ok = false;
      return s;
    }
    return { start, end };
  };
  const out = flows.map((f): Flow => {
    const sinkSpan = span(f.sink.uri, f.sink.span)!;
    return {
      ...f,
      source: { ...f.source, span: span(f.source.uri, f.source.span) },
      sink: f.sink.uri === model.uri ? { ...f.sink, span: sinkSpan, line: model.sf.getLineAndCharacterOfPosition(sinkSpan.start).line + 1 } : f.sink,
      steps: f.steps.map((st) => ({ ...st, span: span(st.uri, st.span)! })),
      // The call site is always in the entry's file.
      callSite: span(model.uri, f.callSite),
    };
  });
  return ok ? out : undefined;
}
