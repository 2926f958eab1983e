// The per-file time limit reaches inside a rule: the taint analysis looks at the lint's CPU
// budget as it runs and stops part-way, instead of finishing a long analysis first. A stopped
// analysis leaves nothing half-done behind for the next lint of the same file version.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Engine, type FileResult } from '../server/src/engine/index';
import { DEFAULT_CONFIG, type Config } from '../server/src/engine/config';
import { rules } from '../rules/index';
import { AnalysisStopped, type RuleContext } from '../rules/api';
import { taintFlows, handlerEntries } from '../rules/taint/index';
import { buildHandler } from '../rules/handler/build';
import { generateHandler } from '../scripts/bench/gen';
import { makeTree } from './support/tree';

const dirs: string[] = [];
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const config = (maxAnalysisMs: number): Config => ({ ...DEFAULT_CONFIG, rules: {}, exclude: [], maxAnalysisMs });
const rule = (id: string) => rules.find((r) => r.meta.id === id)!;
const stopped = (r: FileResult) => r.problems.filter((p) => p.message.startsWith('faaslint: analysis stopped'));

// A taint rule with a finding in the generated handler, and a cheap rule after it.
const TAINT_RULE = 'handler-no-exec-with-event-input';
const AFTER = 'handler-no-verbose-errors';

test('the taint analysis stops at the time limit inside the rule, and reports "analysis stopped"', () => {
  const dir = makeTree({ 'src/app.js': generateHandler(2000) }, 'faaslint-deadline-');
  dirs.push(dir);
  const file = path.join(dir, 'src/app.js');
  const ruleSet = [rule(TAINT_RULE), rule(AFTER)];

  const full = new Engine({ rules: ruleSet, config: config(600_000) }).lintFile(file);
  assert.deepEqual(stopped(full), []);
  assert.ok(full.findings.some((f) => f.ruleId === TAINT_RULE), 'the handler has a finding for the taint rule');

  // The analysis takes far longer than 1 ms: checked only between rules, the taint rule would
  // finish and only the rule after it would be named. Stopped inside, both are.
  const engine = new Engine({ rules: ruleSet, config: config(1) });
  const r = engine.lintFile(file);
  const problems = stopped(r);
  assert.equal(problems.length, 1, JSON.stringify(r.problems));
  assert.equal(problems[0].severity, 'info');
  assert.match(problems[0].message, new RegExp(`2 rules did not run: ${TAINT_RULE}, ${AFTER}\\.$`));
  assert.deepEqual(r.findings, [], 'a stopped rule keeps no partial findings');

  // The same file version with time to spare: the complete result, nothing reused from the stopped run.
  engine.setConfig(config(600_000));
  const again = engine.lintFile(file);
  assert.deepEqual(stopped(again), []);
  assert.deepEqual(again.findings.map((f) => [f.ruleId, f.start, f.end, f.message]), full.findings.map((f) => [f.ruleId, f.start, f.end, f.message]));
});

test('taintFlows throws AnalysisStopped when no time is left, and runs to the end without a limit', () => {
  const model = buildHandler('file:///w/app.js', generateHandler(300));
  const entries = handlerEntries(model, []);
  assert.ok(entries.length > 0);
  assert.throws(() => taintFlows(model, entries[0], undefined, () => -1), AnalysisStopped);
  const ctxLike: Pick<RuleContext, 'timeLeft'> = { timeLeft: () => Infinity };
  const flows = entries.flatMap((e) => taintFlows(model, e, undefined, ctxLike.timeLeft));
  const fresh = buildHandler('file:///w/app.js', generateHandler(300));
  const expected = handlerEntries(fresh, []).flatMap((e) => taintFlows(fresh, e, undefined));
  assert.deepEqual(flows.map((f) => [f.sink.span, f.source.desc]), expected.map((f) => [f.sink.span, f.source.desc]));
});
