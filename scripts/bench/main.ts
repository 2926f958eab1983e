// `npm run bench`: how fast faaslint is, beside the floor of what any linter must do.
//
//   1. Server start: spawn dist/server.js → initialize result.
//   2. Re-lint latency through the real language server over JSON-RPC (stdio, push diagnostics):
//      an edit (didChange) → publishDiagnostics for that version, for generated handlers of 200,
//      2,000 and 10,000 lines and CloudFormation templates of 500, 5,000 and 20,000 lines, beside
//      the bare parse of the same text (ts.createSourceFile / the YAML parser).
//   3. Workspace audit of a generated 5,000-file workspace (plus a node_modules tree it must
//      skip) in a child process: files/s and peak RSS, beside the floor (read + parse each file once).
//
// A table, not a test: numbers depend on the machine. Options:
//   --quick          fewer edits, a 1,000-file workspace (a smoke run)
//   --edits N        measured edits per file (default 40; 10 warm-up edits are not counted)
//   --files N        files in the audited workspace (default 5000)
//   --rounds N       audit rounds (default 3, --quick 1): each runs the floor and both audits in
//                    turn, and each row shows its median round (a shared machine's load varies)
//   --only latency|audit|start
//   --json FILE      also write the raw numbers
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import * as esbuild from 'esbuild';
import { sharedTypescript } from '../shared-typescript.mjs';
import { parseYaml } from '../../rules/template/yaml';
import { LINT_DELAY_MS } from '../../server/src/lsp/liveLint';
import { BenchServer, uriOf } from './lsp';
import { generateHandler, generateTemplate, generateWorkspace, handlerExports, EDIT_MARKER } from './gen';
import type { ChildResult } from './audit-child';
const { DEFAULT_MAX_MEMORY_MB } = require('../../bin/heap-limit.js') as { DEFAULT_MAX_MEMORY_MB: number };

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const SERVER = path.join(ROOT, 'dist', 'server.js');

interface Args { quick: boolean; edits: number; files: number; rounds?: number; only?: string; json?: string }

function parseArgs(argv: string[]): Args {
  const a: Args = { quick: false, edits: 40, files: 5000 };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i];
    if (v === '--quick') a.quick = true;
    else if (v === '--edits') a.edits = Number(argv[++i]);
    else if (v === '--files') a.files = Number(argv[++i]);
    else if (v === '--rounds') a.rounds = Number(argv[++i]);
    else if (v === '--only') a.only = argv[++i];
    else if (v === '--json') a.json = argv[++i];
    else throw new Error(`unknown option ${v}`);
  }
  if (a.quick) {
    a.edits = Math.min(a.edits, 10);
    a.files = Math.min(a.files, 1000);
  }
  a.rounds ??= a.quick ? 1 : 3;
  return a;
}

// ---------------------------------------------------------------------------------------------
// helpers

const median = (xs: number[]) => quantile(xs, 0.5);
/** Nearest-rank quantile. */
function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}
const ms = (x: number | undefined) => (x === undefined ? 'n/a' : x >= 100 ? `${x.toFixed(0)} ms` : `${x.toFixed(1)} ms`);
const num = (x: number) => x.toLocaleString('en-US');

function table(head: string[], rows: string[][]): string {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join(' | ')} |`;
  return [line(head), `|${w.map((n, i) => (i === 0 ? ':' : '-') + '-'.repeat(n) + (i === 0 ? '-' : ':')).join('|')}|`, ...rows.map(line)].join('\n');
}

/** Builds dist/ when it is missing or older than the sources it bundles (as test/lsp.test.ts does). */
function ensureBuilt(): void {
  const newest = (dir: string): number => {
    let t = 0;
    for (const e of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
      if (e.isFile() && /\.ts$/.test(e.name)) t = Math.max(t, fs.statSync(path.join(e.parentPath, e.name)).mtimeMs);
    }
    return t;
  };
  const sources = Math.max(newest(path.join(ROOT, 'server', 'src')), newest(path.join(ROOT, 'rules')));
  if (fs.existsSync(SERVER) && fs.statSync(SERVER).mtimeMs > sources) return;
  console.error('bench: building dist/ …');
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
}

function machine(): string {
  const cpus = os.cpus();
  const load = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  return [
    `machine: ${cpus[0]?.model ?? 'unknown CPU'} × ${os.availableParallelism()} (nproc), ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB RAM, ${os.platform()} ${os.release()}`,
    `node ${process.version}, typescript ${ts.version}; load average at start: ${load}`,
  ].join('\n');
}

const tempDirs: string[] = [];
function tempDir(prefix: string): string {
  const d = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `faaslint-bench-${prefix}-`)));
  tempDirs.push(d);
  return d;
}

// ---------------------------------------------------------------------------------------------
// 1. server start

/**
 * Loading the extension's bundle (dist/client.js) in a fresh process, with a stub `vscode` module:
 * what activation costs before it starts the server. Median over `runs` processes.
 */
function clientLoad(runs: number): number {
  const probe = `
    const Module = require('module');
    const load = Module._load;
    Module._load = function (request, ...rest) {
      if (request === 'vscode') return new Proxy({}, { get: () => new Proxy(function () {}, { get: (t, k) => (k === 'prototype' ? {} : t), apply: () => ({}), construct: () => ({}) }) });
      return load.call(this, request, ...rest);
    };
    const t = performance.now();
    require(${JSON.stringify(path.join(ROOT, 'dist', 'client.js'))});
    process.stdout.write(String(performance.now() - t));`;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8' });
    if (r.status === 0) times.push(Number(r.stdout));
  }
  return median(times);
}

async function serverStart(runs: number): Promise<{ median: number; max: number }> {
  const dir = tempDir('start');
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = new BenchServer(SERVER, ROOT);
    times.push(await s.initialize(dir));
    await s.stop();
  }
  return { median: median(times), max: Math.max(...times) };
}

// ---------------------------------------------------------------------------------------------
// 2. re-lint latency

interface LatencyCase { label: string; kind: 'handler' | 'template'; lines: number }
interface LatencyResult {
  label: string;
  lines: number;
  kb: number;
  findings: number;
  open: number;
  e2eMedian: number;
  e2eP95: number;
  median: number;
  p95: number;
  cpuPerEdit: number | undefined;
  parseMedian: number;
  ratio: number;
}

/** Median time of `f` after warm-up. */
function timeIt(f: () => void, runs: number, warmup = 3): number {
  for (let i = 0; i < warmup; i++) f();
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    f();
    xs.push(performance.now() - t);
  }
  return median(xs);
}

async function latency(c: LatencyCase, edits: number): Promise<LatencyResult> {
  const dir = tempDir(c.label.replace(/\W+/g, '-'));
  fs.mkdirSync(path.join(dir, 'src'));
  let file: string;
  let text: string;
  let languageId: string;
  if (c.kind === 'handler') {
    file = path.join(dir, 'src', 'app.js');
    text = generateHandler(c.lines, 11);
    languageId = 'javascript';
    // A service that routes to some of its handlers, so the handler is linked as in a real app.
    const fns = handlerExports(text).slice(0, 12).map((ex, i) => `  fn${i}:\n    handler: src/app.${ex}\n    events:\n      - httpApi: POST /r${i}/{id}\n`);
    fs.writeFileSync(path.join(dir, 'serverless.yml'), `service: bench\nprovider:\n  name: aws\n  runtime: nodejs24.x\nfunctions:\n${fns.join('')}`);
  } else {
    const app = generateHandler(300, 12);
    fs.writeFileSync(path.join(dir, 'src', 'app.js'), app);
    file = path.join(dir, 'template.yaml');
    text = generateTemplate(c.lines, 13, 'src/app', handlerExports(app));
    languageId = 'yaml';
  }
  fs.writeFileSync(file, text);
  const lines = text.split('\n');
  const markerLine = lines.findIndex((l) => l.includes(EDIT_MARKER));
  const col = lines[markerLine].indexOf('bench') + 'bench'.length;

  const parseMedian = c.kind === 'handler'
    ? timeIt(() => ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS), 15)
    : timeIt(() => parseYaml(text), 15);

  const s = new BenchServer(SERVER, ROOT);
  try {
    await s.initialize(dir);
    const t0 = performance.now();
    let last = await s.open(file, text, languageId);
    const open = performance.now() - t0;
    let version = 1;
    const at = { line: markerLine, character: col };
    const edit = async (): Promise<number> => {
      version++;
      // Type a character into the string, then delete it: every version differs from the last.
      const range = version % 2 === 0 ? { start: at, end: at } : { start: at, end: { line: markerLine, character: col + 1 } };
      const got = s.diagnostics(uriOf(file), version);
      const t = performance.now();
      await s.change(file, version, range, version % 2 === 0 ? 'x' : '');
      last = await got;
      return performance.now() - t;
    };
    for (let i = 0; i < 10; i++) await edit();
    const cpu0 = s.cpuMs();
    const e2e: number[] = [];
    for (let i = 0; i < edits; i++) e2e.push(await edit());
    const cpu1 = s.cpuMs();
    const net = e2e.map((x) => Math.max(0, x - LINT_DELAY_MS));
    return {
      label: c.label,
      lines: lines.length - 1,
      kb: Buffer.byteLength(text) / 1024,
      // After the edits: on open the workspace may not be indexed yet (templates link later).
      findings: last.diagnostics.length,
      open,
      e2eMedian: median(e2e),
      e2eP95: quantile(e2e, 0.95),
      median: median(net),
      p95: quantile(net, 0.95),
      cpuPerEdit: cpu0 !== undefined && cpu1 !== undefined ? (cpu1 - cpu0) / edits : undefined,
      parseMedian,
      ratio: median(net) / parseMedian,
    };
  } finally {
    await s.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// 3. workspace audit

async function bundleChild(): Promise<string> {
  const out = path.join(ROOT, 'node_modules', '.cache', 'faaslint-bench', 'audit-child.js');
  const shipped = path.join(ROOT, 'dist', 'typescript.js');
  await esbuild.build({
    entryPoints: [path.join(ROOT, 'scripts', 'bench', 'audit-child.ts')],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // The TypeScript the CLI and the server load (dist/typescript.js), read as the bundles do.
    plugins: [sharedTypescript(shipped)],
    logLevel: 'warning',
    absWorkingDir: ROOT,
  });
  return out;
}

function runChild(child: string, mode: string, root: string, nodeFlags: string[] = []): ChildResult {
  const r = spawnSync(process.execPath, [...nodeFlags, child, mode, root], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${mode} child failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as ChildResult;
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  ensureBuilt();
  console.log(machine() + '\n');
  const raw: Record<string, unknown> = {};

  if (!args.only || args.only === 'start') {
    const start = await serverStart(args.quick ? 3 : 7);
    const client = clientLoad(args.quick ? 3 : 7);
    raw.start = { ...start, clientBundleLoad: client };
    console.log(`Server start (spawn dist/server.js → initialize result): median ${ms(start.median)}, max ${ms(start.max)}`);
    console.log(`Extension activation before the server starts (loading dist/client.js): median ${ms(client)}\n`);
  }

  if (!args.only || args.only === 'latency') {
    const cases: LatencyCase[] = [
      { label: 'handler 200', kind: 'handler', lines: 200 },
      { label: 'handler 2,000', kind: 'handler', lines: 2000 },
      { label: 'handler 10,000', kind: 'handler', lines: 10000 },
      { label: 'CloudFormation 500', kind: 'template', lines: 500 },
      { label: 'CloudFormation 5,000', kind: 'template', lines: 5000 },
      { label: 'CloudFormation 20,000', kind: 'template', lines: 20000 },
    ];
    const results: LatencyResult[] = [];
    for (const c of cases) {
      process.stderr.write(`bench: ${c.label} lines, ${args.edits} edits …\n`);
      results.push(await latency(c, args.edits));
    }
    raw.latency = results;
    const t = table(
      ['file', 'lines', 'KB', 'findings', 'open (cold)', 'edit → diagnostics p50 / p95', 'analysis p50 / p95', 'server CPU / edit', 'bare parse', 'analysis ÷ parse'],
      results.map((r) => [
        r.label, num(r.lines), r.kb.toFixed(0), String(r.findings), ms(r.open),
        `${ms(r.e2eMedian)} / ${ms(r.e2eP95)}`, `${ms(r.median)} / ${ms(r.p95)}`, ms(r.cpuPerEdit), ms(r.parseMedian), `${r.ratio.toFixed(2)}×`,
      ]),
    );
    const note = `Re-lint after an edit, through the language server over JSON-RPC (${args.edits} edits each, after 10 warm-up edits). ` +
      `"edit → diagnostics" is didChange to publishDiagnostics, including the ${LINT_DELAY_MS} ms debounce; "analysis" is the same minus the debounce.`;
    console.log(note + '\n\n' + t + '\n');
  }

  if (!args.only || args.only === 'audit') {
    const dir = tempDir('ws');
    process.stderr.write(`bench: generating a ${num(args.files)}-file workspace …\n`);
    const stats = generateWorkspace(dir, args.files, 3);
    const child = await bundleChild();
    const rounds: Array<{ floor: ChildResult; audit: ChildResult; capped: ChildResult }> = [];
    for (let r = 1; r <= args.rounds!; r++) {
      process.stderr.write(`bench: round ${r}/${args.rounds}: floor (read + parse) …\n`);
      const floor = runChild(child, 'floor', dir);
      process.stderr.write(`bench: round ${r}/${args.rounds}: audit …\n`);
      const audit = runChild(child, 'audit', dir);
      // The CLI and the language server run with this heap cap (bin/heap-limit.js, the VS Code setting).
      process.stderr.write(`bench: round ${r}/${args.rounds}: audit with the shipped heap cap (${DEFAULT_MAX_MEMORY_MB} MB) …\n`);
      const capped = runChild(child, 'audit', dir, [`--max-old-space-size=${DEFAULT_MAX_MEMORY_MB}`]);
      rounds.push({ floor, audit, capped });
    }
    /** The run of median wall time: its time, CPU and memory come from one run. */
    const medianRun = (runs: ChildResult[]) => [...runs].sort((a, b) => a.ms - b.ms)[(runs.length - 1) >> 1];
    const floor = medianRun(rounds.map((r) => r.floor));
    const aud = medianRun(rounds.map((r) => r.audit));
    const capped = medianRun(rounds.map((r) => r.capped));
    raw.audit = { stats, floor, audit: aud, capped, rounds };
    const rate = (r: ChildResult) => `${num(Math.round(r.files / (r.ms / 1000)))} files/s`;
    const t = table(
      ['run', 'files', 'time', 'CPU', 'throughput', 'peak RSS', 'RSS before'],
      [
        ['floor: read + parse once', num(floor.files), ms(floor.ms), ms(floor.cpuMs), rate(floor), `${floor.peakRssMb.toFixed(0)} MB`, `${floor.baseRssMb.toFixed(0)} MB`],
        ['faaslint audit, Node\'s default heap', num(aud.files), ms(aud.ms), ms(aud.cpuMs), rate(aud), `${aud.peakRssMb.toFixed(0)} MB`, `${aud.baseRssMb.toFixed(0)} MB`],
        [`faaslint audit, heap capped at ${DEFAULT_MAX_MEMORY_MB} MB (as shipped)`, num(capped.files), ms(capped.ms), ms(capped.cpuMs), rate(capped), `${capped.peakRssMb.toFixed(0)} MB`, `${capped.baseRssMb.toFixed(0)} MB`],
        ...(aud.second ? [[
          `audit, second run (${num(aud.second.analysed)} analysed, ${num(aud.second.reused)} reused)`, num(aud.files), ms(aud.second.ms), ms(aud.second.cpuMs),
          `${num(Math.round(aud.files / (aud.second.ms / 1000)))} files/s`, '', '',
        ]] : []),
      ],
    );
    const perRound = rounds.map((r) => `${(r.capped.ms / r.floor.ms).toFixed(2)}×`).join(', ');
    const note = `Workspace audit: ${num(stats.files)} files (${num(stats.handlers)} handlers, ${num(stats.templates)} templates, ${num(stats.dotenv)} .env; ` +
      `${(stats.bytes / 1024 / 1024).toFixed(1)} MB with ${num(stats.skippedFiles)} files the audit must skip, node_modules included), one process each; ` +
      `${rounds.length} round${rounds.length === 1 ? '' : 's'}, each row its median run. ` +
      `Audit as shipped ÷ floor: ${(capped.ms / floor.ms).toFixed(2)}× time (per round: ${perRound}), ${(capped.cpuMs / floor.cpuMs).toFixed(2)}× CPU; ` +
      `with Node's default heap ${(aud.ms / floor.ms).toFixed(2)}× time, ${(aud.cpuMs / floor.cpuMs).toFixed(2)}× CPU. ` +
      `${aud.findings} findings, ${aud.skipped} skipped, ${aud.problems} problems.` +
      (aud.second ? ` The second run (same engine, nothing changed) reports ${aud.second.findings} findings.` : '');
    console.log(note + '\n\n' + t + '\n');
    if (capped.findings !== aud.findings) console.log(`warning: the capped audit reported ${capped.findings} findings, the uncapped one ${aud.findings}`);
    if (aud.files !== stats.files) console.log(`warning: the audit read ${aud.files} files, the workspace has ${stats.files} lintable files`);
  }

  if (args.json) fs.writeFileSync(args.json, JSON.stringify(raw, null, 2) + '\n');
}

main()
  .catch((e) => {
    console.error(e instanceof Error ? e.stack : e);
    process.exitCode = 1;
  })
  .finally(() => {
    for (const d of tempDirs) fs.rmSync(d, { recursive: true, force: true });
  });
