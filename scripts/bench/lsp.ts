// A minimal LSP client for the benchmark: spawns the built server (dist/server.js --stdio) and
// speaks JSON-RPC to it the way test/lsp.test.ts does, as a push-diagnostics client (the path
// Neovim and most editors take). Also reads the server's CPU time and RSS from /proc when there.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type ClientCapabilities,
} from 'vscode-languageserver-protocol/node';

export const uriOf = (file: string): string => pathToFileURL(file).href;

export const PUSH_CAPS: ClientCapabilities = {
  textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true } },
  workspace: { configuration: true, workspaceEdit: { documentChanges: true } },
};

export class BenchServer {
  readonly child: ChildProcessWithoutNullStreams;
  readonly conn: ProtocolConnection;
  private readonly waiters = new Map<string, { version: number; resolve: (p: PublishDiagnosticsParams) => void }>();
  readonly spawnedAt = performance.now();
  stderr = '';

  /** `nodeFlags`, e.g. `--cpu-prof`, for profiling the server. */
  constructor(serverJs: string, cwd: string, nodeFlags: string[] = []) {
    this.child = spawn(process.execPath, [...nodeFlags, serverJs, '--stdio'], { cwd });
    this.child.stderr.on('data', (d) => { this.stderr += d; });
    this.conn = createProtocolConnection(new StreamMessageReader(this.child.stdout), new StreamMessageWriter(this.child.stdin));
    this.conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      const w = this.waiters.get(p.uri);
      if (w && typeof p.version === 'number' && p.version >= w.version) {
        this.waiters.delete(p.uri);
        w.resolve(p);
      }
    });
    this.conn.onNotification('window/logMessage', () => undefined);
    this.conn.onNotification('window/showMessage', () => undefined);
    this.conn.onRequest('client/registerCapability', () => null);
    this.conn.onRequest('workspace/configuration', () => [{ enable: true, rules: {}, exclude: [] }]);
    this.conn.listen();
  }

  /** Resolves with the time from spawn to the initialize result, in ms. */
  async initialize(root: string): Promise<number> {
    await this.conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: uriOf(root),
      workspaceFolders: [{ uri: uriOf(root), name: 'bench' }],
      capabilities: PUSH_CAPS,
    });
    const ms = performance.now() - this.spawnedAt;
    await this.conn.sendNotification('initialized', {});
    return ms;
  }

  /** The next publishDiagnostics for `uri` at `version` or later. */
  diagnostics(uri: string, version: number, timeoutMs = 120_000): Promise<PublishDiagnosticsParams> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        this.waiters.delete(uri);
        reject(new Error(`no diagnostics for ${uri} v${version} within ${timeoutMs} ms; stderr: ${this.stderr}`));
      }, timeoutMs);
      this.waiters.set(uri, { version, resolve: (p) => { clearTimeout(t); resolve(p); } });
    });
  }

  async open(file: string, text: string, languageId: string): Promise<PublishDiagnosticsParams> {
    const got = this.diagnostics(uriOf(file), 1);
    await this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf(file), languageId, version: 1, text } });
    return got;
  }

  /** An incremental edit: replace [start, end) (line/character) with `text`. */
  change(file: string, version: number, range: { start: { line: number; character: number }; end: { line: number; character: number } }, text: string): Promise<void> {
    return this.conn.sendNotification('textDocument/didChange', { textDocument: { uri: uriOf(file), version }, contentChanges: [{ range, text }] });
  }

  /** User+system CPU time of the server so far, in ms (Linux /proc; undefined elsewhere). */
  cpuMs(): number | undefined {
    try {
      const stat = fs.readFileSync(`/proc/${this.child.pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ = 100)
    } catch {
      return undefined;
    }
  }

  /** Peak resident set size so far, in MB (Linux /proc; undefined elsewhere). */
  peakRssMb(): number | undefined {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${this.child.pid}/status`, 'utf8'));
      return m ? Number(m[1]) / 1024 : undefined;
    } catch {
      return undefined;
    }
  }

  async stop(): Promise<void> {
    await Promise.race([this.conn.sendRequest('shutdown').catch(() => undefined), new Promise((r) => setTimeout(r, 2000))]);
    await this.conn.sendNotification('exit').catch(() => undefined);
    await new Promise((r) => setTimeout(r, 100));
    this.conn.dispose();
    if (this.child.exitCode === null) this.child.kill();
  }
}
