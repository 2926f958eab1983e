// bin/heap-limit.js: the CLI and the language server run in a Node process with a capped heap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { makeTree } from './support/tree';

const LAUNCHER = path.join(__dirname, '..', 'bin', 'heap-limit.js');

// A stand-in bundle that reports the heap limit it got, its arguments, and exits with 3.
// An entry script like bin/faaslint.js, launching it.
const dir = makeTree({
  'probe.js': "console.log(JSON.stringify({ limitMb: require('v8').getHeapStatistics().heap_size_limit / 2 ** 20, args: process.argv.slice(2) }));\nprocess.exitCode = 3;\n",
  'entry.js': `require(${JSON.stringify(LAUNCHER)}).runWithHeapLimit(require('node:path').join(__dirname, 'probe.js'));\n`,
});
const probe = path.join(dir, 'probe.js');

function launch(env: Record<string, string>): { limitMb: number; args: string[]; status: number | null } {
  const { NODE_OPTIONS: _ignored, ...base } = process.env;
  const r = spawnSync(process.execPath, [path.join(dir, 'entry.js'), 'a', '--b'], { encoding: 'utf8', env: { ...base, ...env } });
  assert.equal(r.stderr, '');
  return { ...JSON.parse(r.stdout), status: r.status };
}

test('the heap is capped at the default, FAASLINT_MAX_MEMORY_MB changes it, 0 leaves Node its own', () => {
  const capped = launch({});
  const lower = launch({ FAASLINT_MAX_MEMORY_MB: '200' });
  const uncapped = launch({ FAASLINT_MAX_MEMORY_MB: '0' });
  // V8's limit is the old generation plus the young one: a little over the cap.
  assert.ok(capped.limitMb >= 384 && capped.limitMb < 512, `default cap: ${capped.limitMb} MB`);
  assert.ok(lower.limitMb >= 200 && lower.limitMb < 300, `200 MB cap: ${lower.limitMb} MB`);
  assert.notEqual(Math.round(uncapped.limitMb), Math.round(capped.limitMb));
  // Arguments and the exit code pass through the re-spawn.
  assert.deepEqual(capped.args, ['a', '--b']);
  assert.equal(capped.status, 3);
  assert.equal(uncapped.status, 3);
});

test('a cap given in NODE_OPTIONS is kept', () => {
  const r = launch({ NODE_OPTIONS: '--max-old-space-size=256' });
  assert.ok(r.limitMb >= 256 && r.limitMb < 350, `${r.limitMb} MB`);
  assert.ok(fs.existsSync(probe));
});
