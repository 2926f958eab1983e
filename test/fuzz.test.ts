// A short deterministic slice of `npm run fuzz` (scripts/fuzz.ts): every rule fixture mutated once
// with a fixed seed, run through the engine, the fixes and the SARIF writer; plus every input the
// fuzzer ever broke the engine with (test/fuzz-regressions/fixtures/), which must lint cleanly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { runFuzz, checkWorkspace, mutate, REGRESSIONS } from '../scripts/fuzz';

test('mutations are deterministic for a seed', () => {
  const text = 'service: x\nprovider:\n  name: aws\nfunctions:\n  a:\n    handler: src/a.handler\n';
  for (const seed of [1, 2, 3, 42, 4242]) {
    assert.deepEqual(mutate(text, 'serverless.yml', seed), mutate(text, 'serverless.yml', seed));
  }
  assert.notDeepEqual(mutate(text, 'serverless.yml', 1).bytes, mutate(text, 'serverless.yml', 2).bytes);
});

const regressions = fs.existsSync(REGRESSIONS) ? fs.readdirSync(REGRESSIONS).filter((d) => fs.statSync(path.join(REGRESSIONS, d)).isDirectory()).sort() : [];
for (const name of regressions) {
  test(`fuzz regression ${name} lints cleanly`, () => {
    assert.deepEqual(checkWorkspace(path.join(REGRESSIONS, name)), []);
  });
}

test('a short fuzz run: no throw, rule crash, hang, out-of-range fix or invalid SARIF', () => {
  const report = runFuzz({ seed: 20261122, cases: 1, save: false });
  assert.ok(report.cases > 50, `fuzzed ${report.cases} cases`);
  const lines = report.failures.map((f) => `${f.fixture}/${f.file} (npm run fuzz -- --replay ${f.fixture} ${f.file} ${f.seed}) [${f.ops.join(', ')}]:\n  ${f.failures.join('\n  ')}`);
  assert.deepEqual(lines, []);
});
