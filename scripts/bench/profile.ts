// In-process profile of handler re-lint: lints a generated handler N times (a new version each
// time, as an editor edit does) with the real Engine and prints per-rule CPU (median over the
// runs) beside the bare parse. For `node --cpu-prof` runs and quick before/after comparisons.
// Usage: node --import tsx scripts/bench/profile.ts [--lines 2000] [--runs 30] [--template | --serverless]
// (--serverless: the service `npm run bench` lints the handler in, 12 exports linked.)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { Engine } from '../../server/src/engine/index';
import { rules as allRules } from '../../rules/index';
import type { Rule } from '../../rules/api';
import { generateHandler, generateTemplate, handlerExports, EDIT_MARKER } from './gen';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const lines = arg('--lines', 2000);
const runs = arg('--runs', 30);
const withTemplate = process.argv.includes('--template');
const withService = process.argv.includes('--serverless');

const cpuMs = (from: NodeJS.CpuUsage) => { const u = process.cpuUsage(from); return (u.user + u.system) / 1000; };
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)] ?? 0; };

// Each rule wrapped so its own CPU is recorded (the engine's loop adds little around it).
const perRule = new Map<string, number[]>();
const timed: Rule[] = allRules.map((r) => ({
  ...r,
  check(ctx) {
    const t = process.cpuUsage();
    try { r.check(ctx); } finally {
      const list = perRule.get(r.meta.id) ?? [];
      list.push(cpuMs(t));
      perRule.set(r.meta.id, list);
    }
  },
}));

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'faaslint-profile-'));
const file = path.join(dir, 'src', 'app.js');
fs.mkdirSync(path.dirname(file), { recursive: true });
const text = generateHandler(lines, withService ? 11 : 1);
fs.writeFileSync(file, text);
if (withTemplate) fs.writeFileSync(path.join(dir, 'template.yaml'), generateTemplate(300, 2, 'src/app', handlerExports(text)));

const engine = new Engine({ rules: timed, config: { rules: {}, exclude: [], maxFileSize: 16 << 20, maxAnalysisMs: 1e9 } });
if (withTemplate) engine.indexTemplate(path.join(dir, 'template.yaml'));
if (withService) {
  const fns = handlerExports(text).slice(0, 12).map((ex, i) => `  fn${i}:\n    handler: src/app.${ex}\n    events:\n      - httpApi: POST /r${i}/{id}\n`);
  fs.writeFileSync(path.join(dir, 'serverless.yml'), `service: bench\nprovider:\n  name: aws\n  runtime: nodejs24.x\nfunctions:\n${fns.join('')}`);
  engine.indexTemplate(path.join(dir, 'serverless.yml'));
}

const totals: number[] = [];
const parses: number[] = [];
let findings = 0;
for (let i = 0; i < runs + 3; i++) {
  const edited = text.replace(`${EDIT_MARKER} = 'bench'`, `${EDIT_MARKER} = 'bench${i}'`);
  const p = process.cpuUsage();
  ts.createSourceFile(file, edited, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const parse = cpuMs(p);
  engine.docs.setOverlay(file, edited, i + 1);
  const t = process.cpuUsage();
  const res = engine.lintFile(file);
  const total = cpuMs(t);
  findings = res.findings.length;
  if (i < 3) { perRule.clear(); continue; } // warm-up
  totals.push(total);
  parses.push(parse);
}

const rows = [...perRule].map(([id, xs]) => ({ id, ms: median(xs) })).sort((a, b) => b.ms - a.ms);
const sumRules = rows.reduce((s, r) => s + r.ms, 0);
console.log(`handler ${text.split('\n').length} lines, ${runs} runs, ${findings} findings`);
console.log(`lintFile CPU p50 ${median(totals).toFixed(1)} ms (bare parse p50 ${median(parses).toFixed(1)} ms, ${(median(totals) / median(parses)).toFixed(1)}×); rules sum of medians ${sumRules.toFixed(1)} ms`);
for (const r of rows.slice(0, Number(process.env.TOP ?? 25))) console.log(`  ${r.ms.toFixed(2).padStart(8)} ms  ${r.id}`);
fs.rmSync(dir, { recursive: true, force: true });
