// `npm run fuzz`: mutates every fixture under rules/*/fixtures (truncate, delete and duplicate
// lines, flip characters, unbalanced brackets, tabs, deep nesting, YAML aliases, CRLF, BOM,
// invalid UTF-8) with a seeded PRNG and runs what a user's workspace runs through: the engine (an
// audit of the fixture's folder, so templates and handlers link), the preferred fixes (applied and
// linted again) and the SARIF writer (validated against the SARIF 2.1.0 schema). Any throw, rule
// crash, analysis that hits the time limit, fix edit out of range or invalid SARIF is a failure;
// failing inputs are saved under test/fuzz-regressions/fixtures/ (test/fuzz.test.ts lints them).
//
//   npm run fuzz -- [--seed N] [--cases N (per fixture file, default 25)] [--rule <id>] [--no-save]
//   npm run fuzz -- --replay <rule-id> <file in its fixtures> <case seed>   (writes that case as a
//                    regression fixture, e.g. to keep a crash after fixing it)
//
// test/fuzz.test.ts runs a short deterministic slice of the same thing inside `npm test`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sarifSchemaErrors } from './sarif-schema';
import { rules } from '../rules/index';
import { Engine, audit, applyEdits, selectFixes, type FileResult, type FileEdit } from '../server/src/engine/index';
import { buildReport } from '../server/src/cli/report';
import { toSarif } from '../server/src/cli/formats/sarif';

const ROOT = path.resolve(import.meta.dirname, '..');
export const REGRESSIONS = path.join(ROOT, 'test', 'fuzz-regressions', 'fixtures');
const FIXED_DATE = new Date('2026-11-22T00:00:00Z');
/** The engine's per-file limit during fuzzing, and the wall-clock bound per lint checked here. */
export const TIME_LIMIT_MS = 2000;
const WALL_LIMIT_MS = TIME_LIMIT_MS + 3000;

// ---------------------------------------------------------------------------------------------
// PRNG and mutations

export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const int = (r: Rand, n: number) => Math.floor(r() * n);
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[int(r, xs.length)];

const FLIP_CHARS = [...'{}[]()\'"`:-#&*!|>%@$\\/,;. \t\n0aZ~?<=+', '\r', 'é', '\u2028', '\u00a0', '\uFFFD', '😀', '\0'];

type TextMutator = (text: string, r: Rand, file: string) => string;

const lines = (t: string) => t.split('\n');

export const TEXT_MUTATORS: Record<string, TextMutator> = {
  truncate: (t, r) => t.slice(0, int(r, t.length + 1)),
  deleteLines: (t, r) => {
    const ls = lines(t);
    const at = int(r, ls.length);
    ls.splice(at, 1 + int(r, 3));
    return ls.join('\n');
  },
  duplicateLines: (t, r) => {
    const ls = lines(t);
    const at = int(r, ls.length);
    const n = 1 + int(r, 5);
    ls.splice(at, 0, ...ls.slice(at, at + n));
    return ls.join('\n');
  },
  flipChars: (t, r) => {
    const cs = [...t];
    for (let i = 1 + int(r, 6); i > 0 && cs.length; i--) cs[int(r, cs.length)] = pick(r, FLIP_CHARS);
    return cs.join('');
  },
  unbalanced: (t, r) => {
    const at = int(r, t.length + 1);
    const set = r() < 0.5 ? '{[(<' : ')]}>';
    const s = Array.from({ length: 1 + int(r, 10) }, () => pick(r, [...set])).join('');
    return t.slice(0, at) + s + t.slice(at);
  },
  tabs: (t, r) => lines(t).map((l) => (r() < 0.3 ? l.replace(/^( +)/, (m) => '\t'.repeat(Math.max(1, m.length >> 1))) : r() < 0.05 ? '\t' + l : l)).join('\n'),
  nestDeeply: (t, r, file) => {
    const depth = pick(r, [40, 300, 999, 1001, 2500]);
    const ls = lines(t);
    const at = int(r, ls.length);
    const line = ls[at] ?? '';
    if (/\.ya?ml$|\.json$/.test(file) && r() < 0.5) {
      // Block nesting under this line's indentation.
      const indent = /^\s*/.exec(line)![0].length;
      const block = Array.from({ length: Math.min(depth, 400) }, (_, i) => ' '.repeat(indent + 2 + i * 2) + `k${i}:`).join('\n') + ' v';
      ls.splice(at + 1, 0, line.trimEnd().endsWith(':') ? block : ' '.repeat(indent) + 'nest:\n' + block);
    } else {
      const col = int(r, line.length + 1);
      ls[at] = line.slice(0, col) + '['.repeat(depth) + line.slice(col) + ']'.repeat(depth);
    }
    return ls.join('\n');
  },
  yamlAliases: (t, r) => {
    // An anchor on some value and aliases (and merge keys) to it elsewhere, some to unknown anchors.
    const ls = lines(t);
    const keyed = ls.map((l, i) => (/^\s*[\w.-]+:\s*$/.test(l) || /^\s*[\w.-]+:\s+\S/.test(l) ? i : -1)).filter((i) => i >= 0);
    if (!keyed.length) return t;
    const a = pick(r, keyed);
    ls[a] = ls[a].replace(/:(\s|$)/, ': &fz$1');
    for (let n = 1 + int(r, 3); n > 0; n--) {
      const b = pick(r, keyed);
      const indent = /^\s*/.exec(ls[b])![0];
      ls.splice(b + 1, 0, r() < 0.5 ? `${indent}  <<: *${r() < 0.8 ? 'fz' : 'nope'}` : `${indent}  alias${n}: *fz`);
    }
    return ls.join('\n');
  },
  crlf: (t, r) => (r() < 0.5 ? t.replace(/\n/g, '\r\n') : lines(t).map((l) => l + (r() < 0.5 ? '\r' : '')).join('\n')),
  bom: (t) => '\uFEFF' + t,
  longLine: (t, r) => {
    const ls = lines(t);
    const at = int(r, ls.length);
    ls[at] = (ls[at] ?? '') + ' ' + 'x'.repeat(50_000 + int(r, 50_000));
    return ls.join('\n');
  },
};

const INVALID_UTF8 = [[0xc3, 0x28], [0xff], [0xfe, 0xfe], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf0, 0x90, 0x80], [0xc0, 0xaf], [0x80]];

/** Deterministic for (text, seed): 1–3 text mutations, sometimes invalid UTF-8 bytes on top. */
export function mutate(text: string, file: string, seed: number): { bytes: Buffer; ops: string[] } {
  const r = prng(seed);
  const names = Object.keys(TEXT_MUTATORS);
  const ops: string[] = [];
  let t = text;
  for (let n = 1 + int(r, 3); n > 0; n--) {
    const name = pick(r, names);
    ops.push(name);
    t = TEXT_MUTATORS[name](t, r, file);
  }
  let bytes = Buffer.from(t, 'utf8');
  if (r() < 0.2) {
    ops.push('invalidUtf8');
    for (let n = 1 + int(r, 3); n > 0; n--) {
      const at = int(r, bytes.length + 1);
      bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(pick(r, INVALID_UTF8)), bytes.subarray(at)]);
    }
  }
  return { bytes, ops };
}

// ---------------------------------------------------------------------------------------------
// SARIF validation: the official schema (scripts/sarif-schema.ts).

export const sarifErrors = sarifSchemaErrors;

// ---------------------------------------------------------------------------------------------
// Checking one workspace

/**
 * Audits `dir` and checks everything a mutated input must not break. Returns the failures
 * (empty when all is well).
 */
export function checkWorkspace(dir: string): string[] {
  const failures: string[] = [];
  const engine = new Engine({ now: FIXED_DATE, config: { rules: {}, exclude: [], maxFileSize: 2 * 1024 * 1024, maxAnalysisMs: TIME_LIMIT_MS } });
  const results: FileResult[] = [];
  const gen = audit(engine, [dir]);
  for (;;) {
    const t = performance.now();
    let next: IteratorResult<FileResult, unknown>;
    try {
      next = gen.next();
    } catch (e) {
      failures.push(`audit threw: ${(e as Error)?.stack ?? e}`);
      break;
    }
    const took = performance.now() - t;
    if (next.done) break;
    const r = next.value;
    const rel = path.relative(dir, r.file);
    results.push(r);
    if (took > WALL_LIMIT_MS) failures.push(`${rel}: linting took ${Math.round(took)} ms`);
    if (r.skipped?.startsWith('internal error')) failures.push(`${rel}: engine threw: ${r.skipped}`);
    for (const p of r.problems) {
      if (/^faaslint: rule .* failed/.test(p.message)) failures.push(`${rel}: ${p.message}`);
      if (/^faaslint: analysis stopped/.test(p.message)) failures.push(`${rel}: ${p.message}`);
    }
    failures.push(...checkFindings(engine, r, rel));
  }
  failures.push(...checkFixes(engine, results, dir));
  return [...failures, ...sarifFailures(engine, results, dir)].map(clip);
}

/** Failure messages quote input; a mutated line can be 100 KB long. */
function clip(s: string): string {
  return s.length > 400 ? `${s.slice(0, 400)}… (${s.length} chars)` : s;
}

function sarifFailures(engine: Engine, results: FileResult[], dir: string): string[] {
  const failures: string[] = [];
  try {
    const report = buildReport(results, {
      cwd: dir, rules: rules.map((x) => x.meta), ruleSettings: {}, quiet: false,
      lineText: (file, line) => {
        const l = engine.docs.load(file);
        return l.ok ? l.doc.index.lineText(line) : undefined;
      },
    });
    const log = JSON.parse(JSON.stringify(toSarif(report)));
    const errors = sarifErrors(log);
    if (errors.length) failures.push(`SARIF invalid: ${errors.slice(0, 5).join('; ')}`);
  } catch (e) {
    failures.push(`SARIF writer threw: ${(e as Error)?.stack ?? e}`);
  }
  return failures;
}

function textOf(engine: Engine, file: string): string | undefined {
  const l = engine.docs.load(file);
  return l.ok ? l.doc.text : undefined;
}

function checkFindings(engine: Engine, r: FileResult, rel: string): string[] {
  const out: string[] = [];
  const text = textOf(engine, r.file);
  if (text === undefined) return out;
  for (const f of r.findings) {
    if (!(f.start >= 0 && f.start <= f.end && f.end <= text.length)) out.push(`${rel}: ${f.ruleId} finding span ${f.start}-${f.end} outside the text (${text.length})`);
    for (const fix of f.fixes) {
      for (const e of fix.edits) {
        const target = textOf(engine, e.file);
        if (target === undefined) out.push(`${rel}: ${f.ruleId} fix "${fix.title}" edits a file that cannot be read: ${e.file}`);
        else if (!(Number.isInteger(e.start) && Number.isInteger(e.end) && e.start >= 0 && e.start <= e.end && e.end <= target.length)) {
          out.push(`${rel}: ${f.ruleId} fix "${fix.title}" edit ${e.start}-${e.end} out of range (${target.length}) in ${path.basename(e.file)}`);
        } else if (typeof e.newText !== 'string') out.push(`${rel}: ${f.ruleId} fix "${fix.title}" has no text`);
      }
    }
  }
  return out;
}

/** Applies the preferred fix of every finding (as `--fix` would) and lints the fixed texts once. */
function checkFixes(engine: Engine, results: FileResult[], dir: string): string[] {
  const out: string[] = [];
  const fixes: { edits: FileEdit[] }[] = [];
  for (const r of results) for (const f of r.findings) if (f.fixes[0]) fixes.push({ edits: f.fixes[0].edits });
  if (!fixes.length) return out;
  try {
    const { perFile } = selectFixes(fixes);
    let version = 1;
    for (const [file, edits] of perFile) {
      const text = textOf(engine, file);
      if (text === undefined) continue;
      if (edits.some((e) => e.start < 0 || e.end > text.length || e.start > e.end)) continue; // reported above
      engine.docs.setOverlay(file, applyEdits(text, edits), ++version);
    }
    for (const file of perFile.keys()) {
      const rel = path.relative(dir, file);
      const r = engine.lintFile(file);
      for (const p of r.problems) if (/^faaslint: (rule .* failed|analysis stopped)/.test(p.message)) out.push(`${rel} after fixes: ${p.message}`);
    }
  } catch (e) {
    out.push(`applying fixes threw: ${(e as Error)?.stack ?? e}`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The run

export interface FuzzOptions {
  seed: number;
  /** Mutated cases per fixture source file. */
  cases: number;
  /** Only fixtures of rules whose id contains this. */
  rule?: string;
  /** Save failing inputs under test/fuzz-regressions/fixtures/. */
  save: boolean;
  log?: (line: string) => void;
}

export interface FuzzFailure { fixture: string; file: string; seed: number; ops: string[]; failures: string[]; saved?: string }
export interface FuzzReport { cases: number; failures: FuzzFailure[]; ms: number }

const isSource = (rel: string) => !/\.fixed(\.[^./]+)?$/.test(rel) && !rel.endsWith('.expected');
const MARKER = /^\s*(#|\/\/)\s*\^+\s+(todo\s+)?[\w-]+(:.*)?$/;

function listFiles(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

export function fixtureDirs(filter?: string): string[] {
  const rulesDir = path.join(ROOT, 'rules');
  return fs.readdirSync(rulesDir)
    .filter((d) => !filter || d.includes(filter))
    .map((d) => path.join(rulesDir, d, 'fixtures'))
    .filter((d) => fs.existsSync(d))
    .sort();
}

/** The fixture sources of a rule, without their caret markers: what a user's files look like. */
function fixtureSources(fixtures: string): Map<string, string> {
  const sources = new Map<string, string>();
  for (const rel of listFiles(fixtures).filter(isSource)) {
    const text = fs.readFileSync(path.join(fixtures, rel), 'utf8');
    sources.set(rel, text.split('\n').filter((l) => !MARKER.test(l.replace(/\r$/, ''))).join('\n'));
  }
  return sources;
}

/** Re-creates one case (as printed by a failing run) and saves it as a regression fixture. */
export function replay(rule: string, rel: string, seed: number): { dir: string; ops: string[]; failures: string[] } {
  const sources = fixtureSources(path.join(ROOT, 'rules', rule, 'fixtures'));
  const text = sources.get(rel);
  if (text === undefined) throw new Error(`no fixture ${rule}/fixtures/${rel}`);
  const { bytes, ops } = mutate(text, rel, seed);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'faaslint-fuzz-'));
  try {
    for (const [r, t] of sources) {
      fs.mkdirSync(path.dirname(path.join(tmp, r)), { recursive: true });
      fs.writeFileSync(path.join(tmp, r), r === rel ? bytes : t);
    }
    const failures = checkWorkspace(tmp);
    return { dir: saveRegression(sources, rel, bytes, `${rule}-${seed}`, ops, failures), ops, failures };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

export function runFuzz(opts: FuzzOptions): FuzzReport {
  const started = performance.now();
  const report: FuzzReport = { cases: 0, failures: [], ms: 0 };
  const log = opts.log ?? (() => undefined);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'faaslint-fuzz-'));
  try {
    for (const fixtures of fixtureDirs(opts.rule)) {
      const fixture = path.basename(path.dirname(fixtures));
      const sources = fixtureSources(fixtures);
      const dir = path.join(tmp, fixture);
      for (const [rel, text] of sources) {
        fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
        fs.writeFileSync(path.join(dir, rel), text);
      }
      let n = 0;
      for (const [rel, text] of sources) {
        for (let c = 0; c < opts.cases; c++) {
          const seed = (opts.seed * 1_000_003 + hash(`${fixture}/${rel}`) * 31 + c) >>> 0;
          const { bytes, ops } = mutate(text, rel, seed);
          const file = path.join(dir, rel);
          fs.writeFileSync(file, bytes);
          const failures = checkWorkspace(dir);
          report.cases++;
          n++;
          if (failures.length) {
            const f: FuzzFailure = { fixture, file: rel, seed, ops, failures };
            if (opts.save) f.saved = saveRegression(sources, rel, bytes, `${fixture}-${seed}`, ops, failures);
            report.failures.push(f);
            log(`FAIL ${fixture}/${rel} seed ${seed} [${ops.join(', ')}]\n  ${failures.slice(0, 5).join('\n  ')}`);
          }
          fs.writeFileSync(file, text);
        }
      }
      log(`${fixture}: ${n} cases`);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  report.ms = performance.now() - started;
  return report;
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

function saveRegression(sources: Map<string, string>, rel: string, bytes: Buffer, name: string, ops: string[], failures: string[]): string {
  const out = path.join(REGRESSIONS, name);
  fs.mkdirSync(out, { recursive: true });
  for (const [r, text] of sources) {
    fs.mkdirSync(path.dirname(path.join(out, r)), { recursive: true });
    fs.writeFileSync(path.join(out, r), r === rel ? bytes : text);
  }
  const found = failures.length ? failures.map((f) => `- ${f.split('\n')[0]}`).join('\n') : '(none: replayed after the fix)';
  fs.writeFileSync(path.join(out, 'FUZZ-CASE.md'), `Mutated \`${rel}\` with ${ops.join(', ')}.\n\nFailures when found:\n\n${found}\n`);
  return out;
}

// ---------------------------------------------------------------------------------------------

function cli(): void {
  const argv = process.argv.slice(2);
  if (argv[0] === '--replay') {
    const [rule, rel, seed] = argv.slice(1);
    const r = replay(rule, rel, Number(seed));
    console.log(`replayed ${rule}/${rel} seed ${seed} [${r.ops.join(', ')}] → ${path.relative(ROOT, r.dir)}`);
    for (const f of r.failures) console.log(`  ${f}`);
    process.exitCode = r.failures.length ? 1 : 0;
    return;
  }
  const opt = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const opts: FuzzOptions = {
    seed: Number(opt('--seed') ?? Date.now() % 100000),
    cases: Number(opt('--cases') ?? 25),
    rule: opt('--rule'),
    save: !argv.includes('--no-save'),
    log: (l) => console.log(l),
  };
  console.log(`fuzz: seed ${opts.seed}, ${opts.cases} cases per fixture file${opts.rule ? `, rules matching "${opts.rule}"` : ''}`);
  const r = runFuzz(opts);
  console.log(`fuzz: ${r.cases} cases in ${(r.ms / 1000).toFixed(1)} s, ${r.failures.length} failing`);
  for (const f of r.failures) if (f.saved) console.log(`  saved ${path.relative(ROOT, f.saved)}`);
  process.exitCode = r.failures.length ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.dirname, 'fuzz.ts')) cli();
