// The workspace audit: index every template first (so handlers know their functions), then
// lint file by file, streaming results and checking cancellation between files. Re-running is
// incremental: an audit with the same engine reuses a file's last result while the file, every
// file the result depended on (linked templates and handlers, imports), its template links, the
// disk answers linking asked for (does this handler file exist?) and the config are unchanged.
import { classifyPath } from './classify';
import type { Engine, FileResult } from './engine';
import { listFiles } from './walk';
import { memoProbe, type Probe } from './linker';
import { auditHeapThreshold, collectIfAbove } from './heap';

export interface AuditOptions {
  onProgress?: (done: number, total: number, file: string) => void;
  isCancelled?: () => boolean;
}

export interface AuditSummary {
  files: number;
  skipped: number;
  cancelled: boolean;
  /** Files linted afresh by this audit. */
  analysed?: number;
  /** Files whose result from an earlier audit was still current. */
  reused?: number;
}

/**
 * The document cache's source budget while auditing. A syntax tree weighs 20–40× its source and
 * V8 lets the heap grow to a multiple of what stays live, so a smaller cache lowers the peak;
 * this still holds a service's template and handlers between the template's lint (which reads
 * its handlers) and theirs. Templates are parsed again after the index pass rather than kept:
 * that costs ~1 % of the audit's time and saves holding every template's tree at once.
 */
const AUDIT_CACHE_CHARS = 512 * 1024;

type ProbeKind = keyof Probe;
/** The disk answers one lint asked for; they must still hold for its result to be reused. */
type ProbeLog = Array<[ProbeKind, string, boolean]>;

interface Reusable {
  stamp: string;
  links: string;
  deps: Array<[file: string, stamp: string]>;
  probes: ProbeLog;
  result: FileResult;
}

/** What earlier audits of an engine under one config left to reuse; dropped when the day changes. */
interface AuditCache {
  /** Date-dependent rules (deprecated runtimes, key ages) may change their mind overnight. */
  day: string;
  results: Map<string, Reusable>;
  /** Templates indexed, with the answers their links came from. */
  index: Map<string, { stamp: string; probes: ProbeLog }>;
}

/**
 * One cache per engine and config (compared by value): a multi-root workspace audits each
 * folder under its own config, and re-running it must not start from nothing every time.
 */
const caches = new WeakMap<Engine, Map<string, AuditCache>>();
/** Configs remembered per engine; past it the oldest is forgotten. */
const MAX_CONFIGS = 16;

function cacheFor(engine: Engine): AuditCache {
  const day = new Date().toISOString().slice(0, 10);
  const key = JSON.stringify(engine.getConfig());
  let byConfig = caches.get(engine);
  if (!byConfig) caches.set(engine, (byConfig = new Map()));
  let c = byConfig.get(key);
  if (!c || c.day !== day) {
    c = { day, results: new Map(), index: new Map() };
    byConfig.delete(key);
    if (byConfig.size >= MAX_CONFIGS) byConfig.delete(byConfig.keys().next().value!);
  } else {
    byConfig.delete(key); // re-inserted below: the Map's order is recency
  }
  byConfig.set(key, c);
  return c;
}

/** A probe that also notes each distinct question and its answer. */
function recording(base: Probe): { probe: Probe; log: ProbeLog } {
  const log: ProbeLog = [];
  const asked = new Set<string>();
  const rec = (kind: ProbeKind) => (p: string): boolean => {
    const v = base[kind](p);
    const k = `${kind}\0${p}`;
    if (!asked.has(k)) {
      asked.add(k);
      log.push([kind, p, v]);
    }
    return v;
  };
  return { probe: { isFile: rec('isFile'), isDir: rec('isDir'), hasCode: rec('hasCode') }, log };
}

const stillTrue = (log: ProbeLog, probe: Probe) => log.every(([kind, p, v]) => probe[kind](p) === v);

export function* audit(engine: Engine, roots: string[], opts: AuditOptions = {}): Generator<FileResult, AuditSummary> {
  const files = listFiles(roots, { exclude: engine.getConfig().exclude });
  // One look at the disk per path for the whole audit (handler candidates, code folders).
  const probe = memoProbe();
  const cache = cacheFor(engine);
  // One stat per file for the whole audit: many results depend on the same template.
  const stamps = new Map<string, string>();
  const stampOf = (f: string) => {
    let s = stamps.get(f);
    if (s === undefined) stamps.set(f, (s = engine.docs.stampOf(f)));
    return s;
  };
  const cacheBudget = engine.docs.maxCachedChars;
  engine.docs.maxCachedChars = Math.min(cacheBudget, AUDIT_CACHE_CHARS);
  try {
    for (const f of files) {
      const k = classifyPath(f);
      if (k === 'yaml' || k === 'json') {
        const stamp = stampOf(f);
        const known = cache.index.get(f);
        // Unchanged since this audit cache indexed it, and not re-indexed since from an open buffer.
        if (!(known && known.stamp === stamp && engine.indexedStamp(f) === stamp && stillTrue(known.probes, probe))) {
          try {
            const rec = recording(probe);
            engine.indexTemplate(f, rec.probe);
            cache.index.set(f, { stamp, probes: rec.log });
          } catch {
            // Linting it below reports what is wrong with it.
          }
        }
      }
      if (opts.isCancelled?.()) return { files: 0, skipped: 0, cancelled: true, analysed: 0, reused: 0 };
    }
    const heapThreshold = auditHeapThreshold();
    let done = 0;
    let skipped = 0;
    let analysed = 0;
    let reused = 0;
    for (const f of files) {
      if (opts.isCancelled?.()) return { files: done, skipped, cancelled: true, analysed, reused };
      let result: FileResult;
      const stamp = stampOf(f);
      const known = cache.results.get(f);
      if (known && known.stamp === stamp && known.links === engine.linksOf(f) &&
        known.deps.every(([d, s]) => stampOf(d) === s) && stillTrue(known.probes, probe)) {
        result = known.result;
        reused++;
      } else {
        try {
          const rec = recording(probe);
          result = engine.lintFile(f, { probe: rec.probe });
          // A file that ran out of analysis time gets another chance next time.
          if (result.stopped) cache.results.delete(f);
          else cache.results.set(f, { stamp, links: engine.linksOf(f), deps: result.dependsOn.map((d) => [d, stampOf(d)]), probes: rec.log, result });
        } catch (e) {
          // One bad file never stops the audit.
          result = { file: f, kind: 'none', findings: [], problems: [], skipped: `internal error: ${(e as Error).message}`, dependsOn: [] };
          cache.results.delete(f);
        }
        analysed++;
      }
      if (result.skipped) skipped++;
      collectIfAbove(heapThreshold);
      done++;
      opts.onProgress?.(done, files.length, f);
      yield result;
    }
    return { files: done, skipped, cancelled: false, analysed, reused };
  } finally {
    engine.docs.maxCachedChars = cacheBudget;
  }
}
