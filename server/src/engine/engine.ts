// The engine: one entry point for the editor, the audit and the CLI. It loads a file, links it
// to its counterparts (template ↔ handler, handler → local imports), runs the rules, applies
// config and suppressions, and returns findings with line/character ranges.
import os from 'node:os';
import path from 'node:path';
import type { Finding, Rule, RuleContext, Workspace, LinkedFunction, LinkedHandler, Severity, FileInput, TextEdit, Related, Fix } from '../../../rules/api';
import { formatMessage, AnalysisStopped } from '../../../rules/api';
import { rules as allRules } from '../../../rules/index';
import type { TemplateModel, FunctionModel } from '../../../rules/template/model';
import type { HandlerModel } from '../../../rules/handler/model';
import { DocumentStore, type Doc, type Loaded } from './documents';
import { resolveHandler, resolveImport, handlerCanBeChecked, memoProbe, type Probe } from './linker';
import { nearestPackageDependencies, type PackageCache } from './packages';
import { governingTemplates } from './governing';
import { DEFAULT_CONFIG, type Config } from './config';
import { scanSuppressions, isSuppressed, templateMetadataSuppressions, isSuppressedByMetadata } from './suppressions';
import type { Position } from './positions';

export interface Range { start: Position; end: Position }
export interface LocatedEdit extends TextEdit { file: string; range: Range }
export interface LocatedFix extends Omit<Fix, 'edits'> { edits: LocatedEdit[] }
export interface LocatedRelated extends Related { range: Range }
export interface LocatedFinding extends Omit<Finding, 'fixes' | 'related'> {
  range: Range;
  fixes: LocatedFix[];
  related: LocatedRelated[];
}
export interface Problem { message: string; range: Range; severity: 'error' | 'warning' | 'info' }

export interface FileResult {
  file: string;
  /** template | handler | dotenv | none (not something faaslint reads) */
  kind: string;
  findings: LocatedFinding[];
  /** Parse problems (broken YAML, half-typed code). */
  problems: Problem[];
  /** Why the file was not analysed, when it was not. */
  skipped?: string;
  /** Files this result depends on (linked handlers, templates, imports). */
  dependsOn: string[];
  /** The analysis ran out of time: some rules did not run (the problems say which). */
  stopped?: boolean;
}

export interface EngineOptions {
  config?: Config;
  rules?: Rule[];
  /** The date date-dependent rules use; today when absent. */
  now?: Date;
}

export interface LintOptions {
  /** File system answers shared across calls (an audit passes one for all its files). */
  probe?: Probe;
}

/** The default per-file analysis time limit (the rules' CPU time, not parsing). */
export const DEFAULT_MAX_ANALYSIS_MS = 2000;

/** A template function pointing at a handler, by name: the template model is loaded when asked. */
interface IndexedLink { template: string; fn: string; exportName: string }

const CORES = os.availableParallelism();
const CPU_MARK_MS = 50;

export class Engine {
  readonly docs = new DocumentStore();
  private config: Config;
  private readonly rules: Rule[];
  private readonly now?: Date;
  /**
   * handler file → template functions pointing at it (kept fresh as templates are linted/indexed).
   * Names only, so the index holds no syntax tree: the document cache decides what stays parsed.
   */
  private readonly handlerIndex = new Map<string, Map<string, IndexedLink>>();
  /** template file → the document stamp its links were last indexed from. */
  private readonly indexedStamps = new Map<string, string>();
  /** template file → handler files it linked last time, to retract stale links. */
  private readonly templateLinks = new Map<string, Set<string>>();
  /** file → files whose results depend on it. */
  private readonly dependents = new Map<string, Set<string>>();
  /** package.json → its dependency names, per version. */
  private readonly packages: PackageCache = new Map();

  constructor(opts: EngineOptions = {}) {
    this.config = opts.config ?? DEFAULT_CONFIG;
    this.rules = opts.rules ?? allRules;
    this.now = opts.now;
    this.docs.maxFileSize = this.config.maxFileSize;
  }

  setConfig(config: Config): void {
    this.config = config;
    this.docs.maxFileSize = config.maxFileSize;
  }
  getConfig(): Config { return this.config; }
  get ruleList(): readonly Rule[] { return this.rules; }

  /** Registers a template's function → handler links (call for every template of the workspace). */
  indexTemplate(file: string, probe: Probe = memoProbe()): TemplateModel | undefined {
    const loaded = this.docs.load(file);
    this.indexedStamps.set(file, loaded.ok ? loaded.doc.stamp : 'missing');
    const template = loaded.ok && loaded.doc.model.kind === 'template' ? loaded.doc.model.template : undefined;
    const old = this.templateLinks.get(file);
    if (old) for (const h of old) this.handlerIndex.get(h)?.forEach((_, k) => k.startsWith(file + '#') && this.handlerIndex.get(h)!.delete(k));
    const links = new Set<string>();
    if (template) {
      for (const fn of template.functions) {
        const target = resolveHandler(template, fn, probe.isFile);
        if (!target) continue;
        links.add(target.file);
        let m = this.handlerIndex.get(target.file);
        if (!m) this.handlerIndex.set(target.file, (m = new Map()));
        m.set(`${file}#${fn.name}`, { template: file, fn: fn.name, exportName: target.exportName });
      }
    }
    this.templateLinks.set(file, links);
    return template;
  }

  /** The document stamp (see DocumentStore.stampOf) a template's links were last indexed from. */
  indexedStamp(file: string): string | undefined {
    return this.indexedStamps.get(file);
  }

  /** The template functions linked to a handler file, as one comparable key ('' when none). */
  linksOf(file: string): string {
    const m = this.handlerIndex.get(file);
    return m ? [...m.keys()].sort().map((k) => `${k}>${m.get(k)!.exportName}`).join('\n') : '';
  }

  /** Files whose findings may change when `file` changes (excluding itself). */
  dependentsOf(file: string): string[] {
    return [...(this.dependents.get(file) ?? [])].filter((f) => f !== file);
  }

  lintFile(file: string, opts: LintOptions = {}): FileResult {
    file = path.resolve(file);
    const probe = opts.probe ?? memoProbe();
    const loaded = this.docs.load(file);
    if (!loaded.ok) return { file, kind: 'none', findings: [], problems: [], skipped: loaded.reason, dependsOn: [] };
    const doc = loaded.doc;
    const model = doc.model;
    if (model.kind === 'none' && model.reason) return { file, kind: 'none', findings: [], problems: [], skipped: model.reason, dependsOn: [] };
    if (model.kind === 'template') this.indexTemplate(file, probe);
    const deps = new Set<string>();
    const input: FileInput | undefined =
      model.kind === 'template' ? { target: 'template', template: model.template }
        : model.kind === 'handler' ? { target: 'handler', handler: model.handler }
          : model.kind === 'dotenv' ? { target: 'dotenv', dotenv: model.dotenv }
            : undefined;
    const problems: Problem[] = [];
    const parseProblems = model.kind === 'template' ? model.template.problems : model.kind === 'handler' ? model.handler.problems : [];
    for (const p of parseProblems) problems.push({ message: p.message, severity: p.severity, range: { start: doc.index.position(p.start), end: doc.index.position(p.end) } });
    if (!input) return { file, kind: model.kind, findings: [], problems, dependsOn: [] };

    // One look per file for the whole lint: rules ask for the same linked files again and again.
    const loads = new Map<string, Loaded>([[file, loaded]]);
    const workspace = this.workspaceFor(deps, probe, loads);
    const raw: Finding[] = [];
    // Rules are synchronous: the time limit is checked between them. A file that uses it up
    // keeps the findings of the rules that finished and says which did not run. CPU time, so
    // that a busy machine does not change what a file reports.
    const limit = this.config.maxAnalysisMs ?? DEFAULT_MAX_ANALYSIS_MS;
    const wallStart = performance.now();
    const applicable = this.rules.filter((r) => r.meta.targets.includes(input.target) && this.config.rules[r.meta.id] !== 'off');
    // Reading the CPU clock is a system call (0.2 ms in a busy process, 1 % of a workspace audit
    // when read per file): it is first read once a lint has run CPU_MARK_MS, and the time before
    // that counts as wall time.
    let mark: { wall: number; cpu: NodeJS.CpuUsage } | undefined;
    const spent = () => {
      const wall = performance.now() - wallStart;
      // The process cannot have used more CPU than wall time × cores: while that bound is under
      // the limit, skip the system call (asked between rules and inside the taint analysis).
      if (wall * CORES < limit) {
        if (!mark && wall >= CPU_MARK_MS) mark = { wall, cpu: process.cpuUsage() };
        return wall;
      }
      mark ??= { wall, cpu: process.cpuUsage() };
      const used = process.cpuUsage(mark.cpu);
      return mark.wall + (used.user + used.system) / 1000;
    };
    // Long analyses inside a rule (the taint analysis) ask this and stop themselves.
    const timeLeft = () => limit - spent();
    let stopped = false;
    const stop = (i: number) => {
      stopped = true;
      const elapsed = spent();
      const rest = applicable.slice(i).map((r) => r.meta.id);
      problems.push({
        message: `faaslint: analysis stopped after ${fmtMs(elapsed)} (the limit is ${fmtMs(limit)}); ${rest.length} rule${rest.length === 1 ? '' : 's'} did not run: ${rest.join(', ')}.`,
        severity: 'info',
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      });
    };
    const now = this.now ?? new Date();
    for (const [i, rule] of applicable.entries()) {
      if (spent() > limit) {
        stop(i);
        break;
      }
      const setting = this.config.rules[rule.meta.id];
      const ctx: RuleContext = {
        uri: file, text: doc.text, input, workspace, now, timeLeft,
        report: (r) => {
          const messageTemplate = rule.meta.messages[r.messageId] ?? r.messageId;
          raw.push({
            ruleId: rule.meta.id,
            severity: (setting as Severity | undefined) ?? r.severity ?? rule.meta.severity,
            uri: file,
            start: r.span.start,
            end: r.span.end,
            messageId: r.messageId,
            message: formatMessage(messageTemplate, r.data),
            data: r.data ?? {},
            fixes: r.fixes ?? [],
            related: r.related ?? [],
          });
        },
      };
      const reportedBefore = raw.length;
      try {
        rule.check(ctx);
      } catch (e) {
        if (e instanceof AnalysisStopped) {
          // Stopped part-way: its findings so far would be an arbitrary subset, so none are kept.
          raw.length = reportedBefore;
          stop(i);
          break;
        }
        // A rule bug must not hide the other rules' findings; surface it as a problem.
        problems.push({ message: `faaslint: rule ${rule.meta.id} failed: ${(e as Error).message}`, severity: 'warning', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } });
      }
    }
    for (const d of deps) {
      let set = this.dependents.get(d);
      if (!set) this.dependents.set(d, (set = new Set()));
      set.add(file);
    }
    // Most files have nothing to report: no line index, no suppression scan for them.
    const findings = raw.length ? this.located(doc, raw, loads) : [];
    return { file, kind: model.kind, findings, problems, dependsOn: [...deps], ...(stopped ? { stopped } : {}) };
  }

  /** The findings with line/character ranges, suppressions applied, in source order, each once. */
  private located(doc: Doc, raw: Finding[], loads: Map<string, Loaded>): LocatedFinding[] {
    const model = doc.model;
    const suppressions = scanSuppressions(doc.index);
    const metadata = model.kind === 'template' ? templateMetadataSuppressions(model.template) : [];
    const ranges = new Map<string, Range>();
    const findings = raw
      .map((f) => this.locate(doc, f, loads, ranges))
      .filter((f) => !isSuppressed(suppressions, f.ruleId, f.range.start.line) && !isSuppressedByMetadata(metadata, f.ruleId, f.start))
      .sort((a, b) => a.start - b.start || a.end - b.end || a.ruleId.localeCompare(b.ruleId));
    return dedupe(findings);
  }

  /** `ranges`: per lint, ranges already computed (many findings share related locations). */
  private locate(doc: Doc, f: Finding, loads: Map<string, Loaded>, ranges: Map<string, Range>): LocatedFinding {
    const rangeIn = (file: string, s: number, e: number): Range => {
      const key = `${s}:${e}:${file}`;
      let r = ranges.get(key);
      if (!r) {
        const d = file === doc.file ? doc : (loadOnce(this.docs, loads, file) as { ok: true; doc: Doc }).doc;
        const idx = d?.index ?? doc.index;
        ranges.set(key, (r = { start: idx.position(s), end: idx.position(e) }));
      }
      return r;
    };
    return {
      ...f,
      range: { start: doc.index.position(f.start), end: doc.index.position(f.end) },
      fixes: f.fixes.map((fx) => ({
        ...fx,
        edits: fx.edits.map((e) => ({ ...e, file: e.uri ?? doc.file, range: rangeIn(e.uri ?? doc.file, e.start, e.end) })),
      })),
      related: f.related.map((r) => ({ ...r, range: rangeIn(r.uri, r.start, r.end) })),
    };
  }

  /** The handler a template function links to (for reports; records no dependency). */
  linkedHandler(template: TemplateModel, fn: FunctionModel): LinkedHandler | undefined {
    return this.workspaceFor(new Set()).handlerFor(template, fn);
  }

  private workspaceFor(deps: Set<string>, probe: Probe = memoProbe(), loads = new Map<string, Loaded>()): Workspace {
    const handlerModel = (file: string): HandlerModel | undefined => {
      const l = loadOnce(this.docs, loads, file);
      return l.ok && l.doc.model.kind === 'handler' ? l.doc.model.handler : undefined;
    };
    const templateModel = (file: string): TemplateModel | undefined => {
      const l = loadOnce(this.docs, loads, file);
      return l.ok && l.doc.model.kind === 'template' ? l.doc.model.template : undefined;
    };
    return {
      handlerFor: (template, fn) => {
        const target = resolveHandler(template, fn, probe.isFile);
        if (!target) return undefined;
        deps.add(target.file);
        const model = handlerModel(target.file);
        return model ? { uri: target.file, exportName: target.exportName, model } : undefined;
      },
      handlerStatus: (template, fn) => {
        if (resolveHandler(template, fn, probe.isFile)) return 'found';
        return handlerCanBeChecked(template, fn, probe.isDir, probe.hasCode) ? 'missing' : 'unknown';
      },
      functionsFor: (handler) => {
        const links: LinkedFunction[] = [];
        for (const l of this.handlerIndex.get(handler.uri)?.values() ?? []) {
          deps.add(l.template);
          const template = templateModel(l.template);
          const fn = template?.functions.find((f) => f.name === l.fn);
          if (template && fn) links.push({ template, fn, exportName: l.exportName });
        }
        return links;
      },
      importedModule: (from, specifier) => {
        const target = resolveImport(from.uri, specifier, probe.isFile);
        if (!target) return undefined;
        deps.add(target);
        return handlerModel(target);
      },
      packageDependencies: (uri) => nearestPackageDependencies(this.docs, this.packages, uri, probe, deps),
      governingTemplates: (uri) => governingTemplates(this.templateLinks, uri, deps, templateModel, handlerModel, probe),
    };
  }
}

function loadOnce(docs: DocumentStore, loads: Map<string, Loaded>, file: string): Loaded {
  let l = loads.get(file);
  if (!l) loads.set(file, (l = docs.load(file)));
  return l;
}

function fmtMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

function dedupe(findings: LocatedFinding[]): LocatedFinding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const k = `${f.ruleId}:${f.start}:${f.end}:${f.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
