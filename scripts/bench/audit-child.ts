// Runs in its own process (bundled by scripts/bench/main.ts, so no TypeScript loader inflates its
// memory): `audit <root>` runs the engine's workspace audit, then a second audit of the unchanged
// workspace with the same engine (what re-running costs); `floor <root>` reads and parses the
// same files once (ts.createSourceFile / the YAML parser) and keeps nothing. Prints one JSON line
// with the wall time, CPU time and peak RSS (process.resourceUsage().maxRSS) of the first run.
import fs from 'node:fs';
import ts from 'typescript';
import { Engine, audit, listFiles, classifyPath } from '../../server/src/engine/index';
import { parseYaml } from '../../rules/template/yaml';
import { scriptKind } from '../../rules/handler/build';

export interface ChildResult {
  mode: string;
  files: number;
  analysed: number;
  skipped: number;
  findings: number;
  problems: number;
  listMs: number;
  ms: number;
  cpuMs: number;
  baseRssMb: number;
  peakRssMb: number;
  bytes: number;
  /** The second audit (audit mode): wall and CPU time, files analysed afresh and reused. */
  second?: { ms: number; cpuMs: number; analysed: number; reused: number; findings: number };
}

function main(): void {
  const [mode, root] = process.argv.slice(2);
  const baseRssMb = process.memoryUsage().rss / 1024 / 1024;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const out: ChildResult = { mode, files: 0, analysed: 0, skipped: 0, findings: 0, problems: 0, listMs: 0, ms: 0, cpuMs: 0, baseRssMb, peakRssMb: 0, bytes: 0 };
  let engine: Engine | undefined;
  if (mode === 'audit') {
    engine = new Engine();
    const gen = audit(engine, [root]);
    for (let r = gen.next(); !r.done; r = gen.next()) {
      const f = r.value;
      out.files++;
      if (f.skipped) out.skipped++;
      else if (f.kind !== 'none') out.analysed++;
      out.findings += f.findings.length;
      out.problems += f.problems.length;
    }
  } else {
    const files = listFiles([root]);
    out.listMs = performance.now() - t0;
    for (const f of files) {
      const text = fs.readFileSync(f, 'utf8');
      out.bytes += text.length;
      out.files++;
      const kind = classifyPath(f);
      if (kind === 'handler') ts.createSourceFile(f, text, ts.ScriptTarget.Latest, true, scriptKind(f));
      else if (kind === 'yaml' || kind === 'json') parseYaml(text);
      out.analysed++;
    }
  }
  out.ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  out.cpuMs = (cpu.user + cpu.system) / 1000;
  out.peakRssMb = process.resourceUsage().maxRSS / 1024;
  if (engine) {
    const c0 = process.cpuUsage();
    const t1 = performance.now();
    const second = { ms: 0, cpuMs: 0, analysed: 0, reused: 0, findings: 0 };
    const gen = audit(engine, [root]);
    for (let r = gen.next(); ; r = gen.next()) {
      if (r.done) {
        second.analysed = r.value.analysed ?? 0;
        second.reused = r.value.reused ?? 0;
        break;
      }
      second.findings += r.value.findings.length;
    }
    second.ms = performance.now() - t1;
    const c = process.cpuUsage(c0);
    second.cpuMs = (c.user + c.system) / 1000;
    out.second = second;
  }
  process.stdout.write(JSON.stringify(out) + '\n');
}

main();
