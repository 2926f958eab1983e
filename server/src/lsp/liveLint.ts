// Linting while the user types. Buffers go to the engine as overlays at once (so files that depend
// on them see the newest text); the lint itself is debounced. Results are cached per document
// version and "epoch" (bumped by any change that can alter findings: another buffer, a file on disk,
// the configuration), so hovers and code actions reuse them and nothing stale is served.
// Push clients get publishDiagnostics with the document version, never older than what was sent;
// pull clients ask, and the pull waits out the debounce and honours cancellation.
import crypto from 'node:crypto';
import {
  LSPErrorCodes,
  ResponseError,
  type CancellationToken,
  type Diagnostic,
  type DocumentDiagnosticParams,
  type DocumentDiagnosticReport,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { classifyPath, type FileResult } from '../engine/index';
import { resultToDiagnostics } from './diagnostics';
import { useConfigFor, type Session } from './session';
import { uriToPath } from './uris';

export const LINT_DELAY_MS = 200;

export interface LintEntry {
  uri: string;
  file: string;
  /** The buffer version linted; null for a file read from disk. */
  version: number | null;
  epoch: number;
  result: FileResult;
  diagnostics: Diagnostic[];
  /** Identifies the diagnostics for pull clients (computed on the first pull). */
  readonly resultId: string;
}

export class LiveLinter {
  private readonly cache = new Map<string, LintEntry>();
  private readonly lastPublished = new Map<string, number | null>();
  private readonly lastChange = new Map<string, number>();
  /** Last version seen per buffer: the document manager reports an open as a change too. */
  private readonly versions = new Map<string, number>();
  /** Open buffers by engine file id. */
  private readonly openUris = new Map<string, string>();
  /** Closed files the audit published diagnostics for: kept fresh when what they depend on changes. */
  readonly auditUris = new Set<string>();
  /** Audited files now open: back to auditUris (and a disk lint) when closed. */
  private readonly auditedWhileOpen = new Set<string>();
  private readonly dirty = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private epoch = 0;
  private ready = false;
  private readyWaiters: (() => void)[] = [];

  constructor(private readonly s: Session, private readonly delayMs = LINT_DELAY_MS) {}

  uriOf(file: string): string | undefined { return this.openUris.get(file); }

  /** Settings are loaded (or given up on): linting may start. */
  setReady(): void {
    if (this.ready) return;
    this.ready = true;
    for (const w of this.readyWaiters.splice(0)) w();
    this.relintAll();
  }

  whenReady(): Promise<void> {
    return this.ready ? Promise.resolve() : new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  opened(doc: TextDocument): void {
    const file = uriToPath(doc.uri);
    if (!file || typeof doc.getText() !== 'string') return;
    this.openUris.set(file, doc.uri);
    this.versions.set(doc.uri, doc.version);
    this.s.engine.docs.setOverlay(file, doc.getText(), doc.version);
    this.epoch++;
    if (this.auditUris.delete(doc.uri)) {
      this.auditedWhileOpen.add(doc.uri);
      // Pull diagnostics take over this file: drop the audit's pushed copy to avoid duplicates.
      if (this.s.features.pullDiagnostics) this.s.connection.sendDiagnostics({ uri: doc.uri, diagnostics: [] });
    }
    if (!this.s.features.pullDiagnostics && this.ready) this.publish(doc.uri);
  }

  changed(doc: TextDocument): void {
    const file = uriToPath(doc.uri);
    if (!file || this.versions.get(doc.uri) === doc.version) return;
    this.versions.set(doc.uri, doc.version);
    this.s.engine.docs.setOverlay(file, doc.getText(), doc.version);
    this.epoch++;
    this.lastChange.set(doc.uri, Date.now());
    // Pull clients ask for the changed buffer themselves; its dependents need a nudge either way.
    if (!this.s.features.pullDiagnostics) this.dirty.add(doc.uri);
    this.markDependents(file);
    this.scheduleFlush();
  }

  saved(doc: TextDocument): void {
    if (!uriToPath(doc.uri) || this.s.features.pullDiagnostics || !this.ready) return;
    this.dirty.delete(doc.uri);
    this.publish(doc.uri);
  }

  closed(doc: TextDocument): void {
    const file = uriToPath(doc.uri);
    if (!file) return;
    this.openUris.delete(file);
    this.s.engine.docs.clearOverlay(file);
    this.cache.delete(doc.uri);
    this.lastChange.delete(doc.uri);
    this.versions.delete(doc.uri);
    this.lastPublished.delete(doc.uri);
    this.dirty.delete(doc.uri);
    this.epoch++;
    if (this.auditedWhileOpen.delete(doc.uri)) {
      // Keep the audit's picture in the Problems panel: the file as it is on disk.
      this.auditUris.add(doc.uri);
      this.dirty.add(doc.uri);
    } else if (!this.s.features.pullDiagnostics) {
      this.s.connection.sendDiagnostics({ uri: doc.uri, diagnostics: [] });
    }
    this.markDependents(file);
    this.scheduleFlush();
  }

  /** Files changed on disk (not through an open buffer). */
  filesChanged(files: string[]): void {
    this.epoch++;
    for (const file of files) {
      if (this.openUris.has(file)) continue;
      this.s.engine.docs.forget(file);
      const kind = classifyPath(file);
      if (kind === 'yaml' || kind === 'json') {
        useConfigFor(this.s, file);
        this.s.engine.indexTemplate(file);
      }
      const audited = [...this.auditUris].find((u) => uriToPath(u) === file);
      if (audited) this.dirty.add(audited);
      this.markDependents(file);
    }
    this.scheduleFlush();
  }

  /** Configuration or the workspace index changed: every result may differ. */
  relintAll(): void {
    this.epoch++;
    for (const uri of this.openUris.values()) this.dirty.add(uri);
    for (const uri of this.auditUris) this.dirty.add(uri);
    this.flush();
  }

  /** The current result for a URI: the open buffer's version, or the file on disk. */
  entry(uri: string): LintEntry | undefined {
    const file = uriToPath(uri);
    if (!file) return undefined;
    const doc = this.s.documents.get(uri);
    const version = doc ? doc.version : null;
    const hit = this.cache.get(uri);
    if (hit && hit.version === version && hit.epoch === this.epoch) return hit;
    if (doc) this.s.engine.docs.setOverlay(file, doc.getText(), doc.version);
    const result = this.s.enabled ? this.lint(file) : { file, kind: 'none', findings: [], problems: [], dependsOn: [] };
    const diagnostics = resultToDiagnostics(result, {
      toUri: (f) => this.s.toUri(f),
      version,
      relatedInformation: this.s.features.relatedInformation,
    });
    let resultId: string | undefined;
    const entry: LintEntry = {
      uri, file, version, epoch: this.epoch, result, diagnostics,
      // Push clients never ask: hashing a large result on every keystroke is not free.
      get resultId() { return (resultId ??= crypto.createHash('sha1').update(JSON.stringify(diagnostics)).digest('base64url')); },
    };
    if (doc) this.cache.set(uri, entry);
    return entry;
  }

  private lint(file: string): FileResult {
    try {
      useConfigFor(this.s, file);
      return this.s.engine.lintFile(file);
    } catch (e) {
      // The engine guards rules; this is a last resort so one file never takes the server down.
      this.s.log(`lint failed for ${file}: ${(e as Error).message}`);
      return { file, kind: 'none', findings: [], problems: [], skipped: 'internal error (see the faaslint output)', dependsOn: [] };
    }
  }

  /** textDocument/diagnostic */
  async pull(params: DocumentDiagnosticParams, token: CancellationToken): Promise<DocumentDiagnosticReport> {
    await this.whenReady();
    const uri = params?.textDocument?.uri;
    if (!uriToPath(uri)) return { kind: 'full', items: [] };
    // Debounce: wait until the buffer has been quiet for the delay; a newer keystroke cancels us.
    for (;;) {
      const wait = (this.lastChange.get(uri) ?? 0) + this.delayMs - Date.now();
      if (wait <= 0) break;
      await new Promise((r) => setTimeout(r, wait));
      if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
    }
    if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
    const e = this.entry(uri)!;
    // A pull for a file that is neither open nor on disk: nothing to say.
    if (!this.s.documents.get(uri) && e.result.skipped === 'file not found') return { kind: 'full', items: [] };
    if (params.previousResultId && params.previousResultId === e.resultId) return { kind: 'unchanged', resultId: e.resultId };
    return { kind: 'full', resultId: e.resultId, items: e.diagnostics };
  }

  /** Pushes the diagnostics of a URI, unless a newer version was already pushed. */
  publish(uri: string): void {
    const e = this.entry(uri);
    if (!e) return;
    const last = this.lastPublished.get(uri);
    if (e.version !== null && typeof last === 'number' && e.version < last) return;
    this.lastPublished.set(uri, e.version);
    this.s.connection.sendDiagnostics({ uri, version: e.version ?? undefined, diagnostics: e.diagnostics });
  }

  /** Pushes the diagnostics of a closed file found by the audit; keeps it fresh from then on. */
  publishAudited(uri: string, diagnostics: Diagnostic[]): void {
    if (this.s.documents.get(uri)) {
      // Open buffers are linted live; remember the audit saw it, for when it closes.
      if (diagnostics.length > 0) this.auditedWhileOpen.add(uri);
      return;
    }
    if (diagnostics.length > 0) this.auditUris.add(uri);
    else if (!this.auditUris.delete(uri)) return;
    this.s.connection.sendDiagnostics({ uri, diagnostics });
  }

  private markDependents(file: string): void {
    const deps = new Set(this.s.engine.dependentsOf(file));
    // A template edit can link a handler that did not depend on it before.
    const kind = classifyPath(file);
    if (kind === 'yaml' || kind === 'json') for (const f of this.openUris.keys()) if (classifyPath(f) === 'handler') deps.add(f);
    for (const dep of deps) {
      const open = this.openUris.get(dep);
      if (open) this.dirty.add(open);
      else for (const u of this.auditUris) if (uriToPath(u) === dep) this.dirty.add(u);
    }
  }

  private scheduleFlush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, this.delayMs);
  }

  private flush(): void {
    if (!this.ready || this.dirty.size === 0) return;
    const uris = [...this.dirty];
    this.dirty.clear();
    let refresh = false;
    for (const uri of uris) {
      if (this.s.documents.get(uri)) {
        if (this.s.features.pullDiagnostics) refresh = true;
        else this.publish(uri);
      } else if (this.auditUris.has(uri)) {
        const e = this.entry(uri);
        if (e) this.publishAudited(uri, e.result.skipped === 'file not found' ? [] : e.diagnostics);
      }
    }
    if (refresh && this.s.features.diagnosticRefresh) {
      this.s.connection.languages.diagnostics.refresh().catch(() => undefined);
    }
  }
}
