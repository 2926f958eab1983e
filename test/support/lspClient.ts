// A JSON-RPC client for the built language server (dist/server.js over stdio), as the LSP tests
// drive it: it records what the server pushes (diagnostics, log messages, refresh requests) and
// answers the server's own requests, either helpfully or (`silent`) never, like a stuck client.
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type CodeAction,
  type ConfigurationParams,
  type Diagnostic,
  type DocumentDiagnosticReport,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { ROOT, SERVER_BUNDLE } from './build';

export const uriOf = (file: string): string => pathToFileURL(file).href;

/** Every request a server may send a client. */
export const SERVER_REQUESTS = [
  'workspace/configuration', 'client/registerCapability', 'client/unregisterCapability', 'window/workDoneProgress/create',
  'workspace/diagnostic/refresh', 'window/showDocument', 'window/showMessageRequest', 'workspace/applyEdit', 'workspace/workspaceFolders',
  'workspace/semanticTokens/refresh', 'workspace/inlayHint/refresh', 'workspace/codeLens/refresh',
];

export interface LspClientOptions {
  /** Never answer any request from the server (a client stuck or buggy). */
  silent?: boolean;
  /**
   * `faaslint.*` settings for a workspace/configuration item (scopeUri undefined: the window's);
   * undefined answers the request with `{ enable: true }` per item.
   */
  settings?: (scopeUri: string | undefined) => unknown;
}

export class LspClient {
  readonly child: ChildProcessWithoutNullStreams;
  readonly conn: ProtocolConnection;
  readonly published: PublishDiagnosticsParams[] = [];
  readonly logs: string[] = [];
  /** Requests the server sent that this client left unanswered, by method. */
  readonly ignored: string[] = [];
  /** workspace/configuration requests, as sent. */
  readonly configurationRequests: ConfigurationParams[] = [];
  refreshes = 0;
  stderr = '';
  /** undefined while running; the exit code (or null) once the process ended. */
  exitCode: number | null | undefined;
  private waiters: (() => void)[] = [];

  constructor(opts: LspClientOptions = {}) {
    this.child = spawn(process.execPath, [SERVER_BUNDLE, '--stdio'], { cwd: ROOT });
    this.child.stderr.on('data', (d) => { this.stderr += d; });
    this.child.on('exit', (code) => { this.exitCode = code; });
    this.conn = createProtocolConnection(new StreamMessageReader(this.child.stdout), new StreamMessageWriter(this.child.stdin));
    this.conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.published.push(p);
      this.wake();
    });
    this.conn.onNotification('window/logMessage', (p: { message: string }) => {
      this.logs.push(p.message);
      this.wake();
    });
    this.conn.onUnhandledNotification(() => undefined);
    for (const method of SERVER_REQUESTS) {
      this.conn.onRequest(method, (params: unknown) => {
        if (opts.silent) {
          this.ignored.push(method);
          return new Promise(() => undefined);
        }
        if (method === 'workspace/diagnostic/refresh') {
          this.refreshes++;
          this.wake();
        }
        if (method === 'workspace/configuration') {
          const p = params as ConfigurationParams;
          this.configurationRequests.push(p);
          return (p?.items ?? []).map((item) => (opts.settings ? opts.settings(item.scopeUri) : { enable: true }));
        }
        return null;
      });
    }
    this.conn.listen();
  }

  /** `roots`: one folder, or several (a multi-root workspace: rootUri is the first). */
  async initialize(roots: string | string[], capabilities: ClientCapabilities, initializationOptions?: unknown): Promise<{ capabilities: Record<string, unknown> }> {
    const folders = [roots].flat();
    const result = await this.conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: uriOf(folders[0]),
      workspaceFolders: folders.map((f) => ({ uri: uriOf(f), name: path.basename(f) })),
      capabilities,
      initializationOptions,
    });
    await this.conn.sendNotification('initialized', {});
    return result as { capabilities: Record<string, unknown> };
  }

  open(file: string, text: string, languageId: string, version = 1): Promise<void> {
    return this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf(file), languageId, version, text } });
  }

  change(file: string, text: string, version: number): Promise<void> {
    return this.conn.sendNotification('textDocument/didChange', { textDocument: { uri: uriOf(file), version }, contentChanges: [{ text }] });
  }

  close(file: string): Promise<void> {
    return this.conn.sendNotification('textDocument/didClose', { textDocument: { uri: uriOf(file) } });
  }

  /** Writes a framed message as is (for malformed-input tests). */
  raw(body: string, header?: string): void {
    this.child.stdin.write(`${header ?? `Content-Length: ${Buffer.byteLength(body)}`}\r\n\r\n${body}`);
  }

  /** The newest publishDiagnostics for the URI (from now or already received) that satisfies `ok`. */
  async diagnostics(uri: string, ok: (p: PublishDiagnosticsParams) => boolean, timeoutMs = 10_000): Promise<PublishDiagnosticsParams> {
    return this.until(timeoutMs, () => [...this.published].reverse().find((p) => p.uri === uri && ok(p)), () => {
      const seen = this.published.filter((p) => p.uri === uri).map((p) => `v${p.version}: ${p.diagnostics.map((d) => d.code ?? d.message).join(', ')}`);
      return `no matching diagnostics for ${uri} within ${timeoutMs} ms; received: ${seen.join(' | ') || 'none'}; stderr: ${this.stderr}`;
    });
  }

  /** The first log message matching `pattern`. */
  async log(pattern: RegExp, timeoutMs = 10_000): Promise<string> {
    return this.until(timeoutMs, () => this.logs.find((m) => pattern.test(m)), () => `no log message matching ${pattern} within ${timeoutMs} ms; got: ${this.logs.join(' | ')}`);
  }

  /** Waits for a refresh request beyond `seen` (workspace/diagnostic/refresh). */
  async refreshed(seen: number, timeoutMs = 10_000): Promise<void> {
    await this.until(timeoutMs, () => (this.refreshes > seen ? true : undefined), () => `no workspace/diagnostic/refresh within ${timeoutMs} ms`);
  }

  async pull(file: string): Promise<Diagnostic[]> {
    const report = (await this.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri: uriOf(file) } })) as DocumentDiagnosticReport;
    assert.equal(report.kind, 'full');
    return report.kind === 'full' ? report.items : [];
  }

  codeActions(file: string, diagnostic: Diagnostic): Promise<CodeAction[]> {
    return this.conn.sendRequest('textDocument/codeAction', {
      textDocument: { uri: uriOf(file) },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic], triggerKind: 1 },
    }) as Promise<CodeAction[]>;
  }

  /** A request that must answer (with a result or an error) within the time limit. */
  async answers(method: string, params: unknown, timeoutMs = 10_000): Promise<{ result?: unknown; error?: Error }> {
    const reply = this.conn.sendRequest(method, params).then((result) => ({ result }), (error: Error) => ({ error }));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${method} got no answer in ${timeoutMs} ms`)), timeoutMs); });
    try {
      return await Promise.race([reply, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async stop(): Promise<void> {
    if (this.exitCode === undefined) {
      await Promise.race([this.conn.sendRequest('shutdown').catch(() => undefined), new Promise((r) => setTimeout(r, 1000))]);
      await this.conn.sendNotification('exit').catch(() => undefined);
      await new Promise((r) => setTimeout(r, 200));
    }
    this.conn.dispose();
    if (this.exitCode === undefined) this.child.kill();
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  /** Re-checks `probe` whenever something arrives, until it returns a value or time runs out. */
  private async until<T>(timeoutMs: number, probe: () => T | undefined, failure: () => string): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = probe();
      if (hit !== undefined) return hit;
      const left = deadline - Date.now();
      if (left <= 0) assert.fail(failure());
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => { clearTimeout(t); resolve(); });
      });
    }
  }
}
