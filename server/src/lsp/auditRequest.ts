// `faaslint/audit`: the engine's workspace audit, streamed file by file with work-done progress
// (file count, cancellable), diagnostics published for every file with findings, and totals back.
// It yields to the event loop between slices so edits, hovers and the cancel request get through.
import path from 'node:path';
import { ErrorCodes, ResponseError, type CancellationToken, type WorkDoneProgressReporter } from 'vscode-languageserver/node';
import { audit, routeMatrix, type AuditSummary, type FileResult } from '../engine/index';
import { resultToDiagnostics } from './diagnostics';
import { auditMarkdown } from './auditReport';
import type { LiveLinter } from './liveLint';
import type { AuditParams, AuditResult, AuditTopFinding, SeverityName } from './protocol';
import { useConfigFor, type Session } from './session';

const TOP_PER_SEVERITY = 20;
const SLICE_MS = 20;
const PROGRESS_EVERY_MS = 100;
const PROGRESS_CREATE_TIMEOUT_MS = 2000;

export class AuditRunner {
  private running = false;

  constructor(private readonly s: Session, private readonly linter: LiveLinter) {}

  async run(params: AuditParams | undefined, token: CancellationToken): Promise<AuditResult> {
    if (this.running) throw new ResponseError(ErrorCodes.InvalidRequest, 'faaslint: an audit is already running');
    this.running = true;
    let progress: Awaited<ReturnType<AuditRunner['progressFor']>> | undefined;
    try {
      // An audit asked for right after start-up waits for the settings, as live linting does.
      await this.linter.whenReady();
      const p = (progress = await this.progressFor(params));
      return await this.audit(p.reporter, () => token.isCancellationRequested || p.cancelled());
    } finally {
      progress?.reporter.done();
      this.running = false;
    }
  }

  private async progressFor(params: AuditParams | undefined): Promise<{ reporter: WorkDoneProgressReporter; cancelled: () => boolean }> {
    const token = params?.workDoneToken;
    if (typeof token === 'string' || typeof token === 'number') {
      // Client-created token: its cancel button cancels the request itself.
      return { reporter: this.s.connection.window.attachWorkDoneProgress(token), cancelled: () => false };
    }
    if (this.s.features.workDoneProgress) {
      // A client that never answers window/workDoneProgress/create must not stall the audit.
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<undefined>((resolve) => { timer = setTimeout(() => resolve(undefined), PROGRESS_CREATE_TIMEOUT_MS); });
      try {
        const r = await Promise.race([this.s.connection.window.createWorkDoneProgress(), timeout]);
        if (r) return { reporter: r, cancelled: () => r.token.isCancellationRequested };
        this.s.log('window/workDoneProgress/create got no answer in time: auditing without progress');
      } catch {
        // The client refused the token: run without progress.
      } finally {
        clearTimeout(timer);
      }
    }
    return { reporter: this.s.connection.window.attachWorkDoneProgress(undefined), cancelled: () => false };
  }

  private async audit(reporter: WorkDoneProgressReporter, isCancelled: () => boolean): Promise<AuditResult> {
    const started = Date.now();
    const roots = [...this.s.roots];
    reporter.begin('faaslint: auditing workspace', 0, 'listing files…', true);
    const totals = emptyTotals(roots);
    const seen = new Set<string>();
    const templates: string[] = [];
    let lastReport = 0;
    const summary: AuditSummary = { files: 0, skipped: 0, cancelled: false };
    let slice = Date.now();
    // Folder by folder, each under its own configuration (its excludes list its files, its rule
    // settings lint them); set again before every step since live linting may run in between.
    for (const [i, root] of roots.entries()) {
      const config = this.s.configs.forListing(root);
      const where = roots.length > 1 ? ` (folder ${i + 1} of ${roots.length}: ${path.basename(root)})` : '';
      const gen = audit(this.s.engine, [root], {
        isCancelled,
        onProgress: (done, total) => {
          const now = Date.now();
          if (now - lastReport < PROGRESS_EVERY_MS && done < total) return;
          lastReport = now;
          reporter.report(Math.floor(((i + (total ? done / total : 1)) / roots.length) * 100), `${done}/${total} files${where}`);
        },
      });
      let rootSummary: AuditSummary;
      for (;;) {
        useConfigFor(this.s, root, config);
        const next = gen.next();
        if (next.done) {
          rootSummary = next.value;
          break;
        }
        this.record(next.value, totals, seen);
        if (next.value.kind === 'template') templates.push(next.value.file);
        if (Date.now() - slice > SLICE_MS) {
          await new Promise((r) => setImmediate(r));
          slice = Date.now();
        }
      }
      summary.files += rootSummary.files;
      summary.skipped += rootSummary.skipped;
      if (rootSummary.cancelled) {
        summary.cancelled = true;
        break;
      }
    }
    if (!summary.cancelled) {
      // Files with findings from an earlier audit that this one no longer reads (deleted, excluded).
      for (const uri of [...this.linter.auditUris]) if (!seen.has(uri)) this.linter.publishAudited(uri, []);
    }
    const { topBySeverity, ...counts } = totals;
    const result: Omit<AuditResult, 'markdown'> = {
      ...counts,
      files: summary.files,
      skipped: summary.skipped,
      cancelled: summary.cancelled,
      durationMs: Date.now() - started,
      top: [...topBySeverity.error, ...topBySeverity.warning, ...topBySeverity.info].slice(0, TOP_PER_SEVERITY),
      routes: routeMatrix(this.s.engine, templates).map((r) => ({
        ...r,
        template: this.displayPath(r.template),
        uri: this.s.toUri(r.template),
        handlerChecksIdentity: r.handlerChecksIdentity ?? null,
      })),
    };
    this.s.log(`audit: ${result.findings} findings in ${result.files} files${result.cancelled ? ' (cancelled)' : ''}, ${result.durationMs} ms`);
    return { ...result, markdown: auditMarkdown(result) };
  }

  private record(r: FileResult, t: Totals, seen: Set<string>): void {
    const uri = this.s.toUri(r.file);
    seen.add(uri);
    const diagnostics = resultToDiagnostics(r, { toUri: (f) => this.s.toUri(f), version: null, relatedInformation: this.s.features.relatedInformation });
    this.linter.publishAudited(uri, diagnostics);
    if (r.problems.length > 0) t.filesWithProblems++;
    if (r.findings.length === 0) return;
    t.filesWithFindings++;
    for (const f of r.findings) {
      t.findings++;
      const severity = f.severity as SeverityName;
      t.bySeverity[severity] = (t.bySeverity[severity] ?? 0) + 1;
      const meta = this.s.engine.ruleList.find((x) => x.meta.id === f.ruleId)?.meta;
      const category = meta?.category ?? 'other';
      t.byCategory[category] = (t.byCategory[category] ?? 0) + 1;
      const rule = (t.byRule[f.ruleId] ??= { count: 0, category, description: meta?.description ?? '' });
      rule.count++;
      const top = t.topBySeverity[severity];
      if (top && top.length < TOP_PER_SEVERITY) {
        top.push({ ruleId: f.ruleId, severity, category, message: f.message, uri, path: this.displayPath(r.file), line: f.range.start.line + 1 });
      }
    }
  }

  /** Relative to its folder; prefixed with the folder's name when there are several. */
  private displayPath(file: string): string {
    const root = this.s.configs.rootOf(file);
    if (!root) return file;
    const rel = path.relative(root, file) || path.basename(file);
    return this.s.roots.length > 1 ? `${path.basename(root)}/${rel}` : rel;
  }
}

type Totals = Omit<AuditResult, 'markdown' | 'top' | 'files' | 'skipped' | 'cancelled' | 'durationMs' | 'routes'> & {
  topBySeverity: Record<SeverityName, AuditTopFinding[]>;
};

function emptyTotals(roots: string[]): Totals {
  return {
    filesWithFindings: 0,
    findings: 0,
    filesWithProblems: 0,
    bySeverity: { error: 0, warning: 0, info: 0 },
    byCategory: {},
    byRule: {},
    roots,
    topBySeverity: { error: [], warning: [], info: [] },
  };
}
