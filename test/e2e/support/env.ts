// Shared plumbing for the editor end-to-end tests (test/e2e/*.e2e.ts): where scripts/e2e/install.sh
// put code-server and playwright-core, throwaway directories, free loopback ports, the artifacts
// directory for failure screenshots and logs, and child processes that are always cleaned up.
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
export const EXAMPLES = path.join(ROOT, 'examples');

/** Where scripts/e2e/install.sh installs code-server and playwright-core (never the project's node_modules). */
export const CACHE = process.env.FAASLINT_E2E_CACHE || path.join(os.homedir(), '.cache', 'faaslint-e2e');

/** Failure screenshots and copied logs go here; kept after the run. */
export const ARTIFACTS =
  process.env.FAASLINT_E2E_ARTIFACTS || path.join(os.tmpdir(), 'faaslint-e2e-artifacts', new Date().toISOString().replace(/[:.]/g, '-'));

export function log(message: string): void {
  process.stderr.write(`[e2e ${new Date().toISOString().slice(11, 23)}] ${message}\n`);
}

export function requireInstalled(what: string, file: string): string {
  if (!fs.existsSync(file)) {
    throw new Error(`${what} is missing (${file}): run \`bash scripts/e2e/install.sh\` first`);
  }
  return file;
}

/** A fresh temporary directory, removed by `cleanup()` unless the run failed and `keepOnFailure`. */
export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `faaslint-e2e-${prefix}-`));
}

/** Copies examples/ (without node_modules) to a throwaway workspace. */
export function copyExamples(dest: string): string {
  fs.cpSync(EXAMPLES, dest, {
    recursive: true,
    filter: (src) => !src.split(path.sep).includes('node_modules'),
  });
  return dest;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

/** Runs a command to completion (bounded), failing with its output if it fails. */
export function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): string {
  const started = Date.now();
  const r = spawnSync(cmd, args, {
    cwd: opts.cwd ?? ROOT,
    env: opts.env ?? process.env,
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 120_000,
    killSignal: 'SIGKILL',
    maxBuffer: 64 * 1024 * 1024,
  });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.error || r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed (${r.error?.message ?? `exit ${r.status}, signal ${r.signal}`}):\n${out.slice(-4000)}`);
  }
  log(`${path.basename(cmd)} ${args.join(' ')}: ok in ${Date.now() - started} ms`);
  return out;
}

/**
 * Long-running children (code-server, nvim) started in their own process group so the whole tree
 * can be killed; killed again synchronously on process exit in case an `after` hook never ran.
 */
const children = new Set<ChildProcess>();

export function startDetached(cmd: string, args: string[], opts: SpawnOptions & { logFile: string }): ChildProcess {
  const out = fs.openSync(opts.logFile, 'a');
  const child = spawn(cmd, args, { ...opts, detached: true, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

/** SIGTERM the child's process group, then SIGKILL it if it has not exited within `graceMs`. */
export async function stopDetached(child: ChildProcess | undefined, graceMs = 5000): Promise<void> {
  if (!child || child.pid === undefined) return;
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    killGroup(child, 'SIGTERM');
    const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), graceMs).unref());
    if ((await Promise.race([exited, timer])) === 'timeout') killGroup(child, 'SIGKILL');
  }
  // Stragglers in the group (an extension host, a language server) that outlived their parent.
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    /* the group is empty */
  }
  children.delete(child);
}

process.on('exit', () => {
  for (const child of children) killGroup(child, 'SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    for (const child of children) killGroup(child, 'SIGKILL');
    process.exit(128 + (os.constants.signals[signal] ?? 1));
  });
}

/** Polls `check` until it returns a truthy value or `timeoutMs` passes. */
export async function waitUntil<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs: number, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Copies files under `from` whose path matches `pattern` into `to` (failure evidence). */
export function copyMatching(from: string, to: string, pattern: RegExp): string[] {
  const copied: string[] = [];
  if (!fs.existsSync(from)) return copied;
  for (const e of fs.readdirSync(from, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const abs = path.join(e.parentPath, e.name);
    const rel = path.relative(from, abs);
    if (!pattern.test(rel)) continue;
    const dest = path.join(to, rel);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.copyFileSync(abs, dest);
    copied.push(dest);
  }
  return copied;
}
