// Re-running the audit is incremental: a second audit with the same engine reuses each file's
// result unless the file, something its result was computed from, or the config changed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Engine, audit, normalizeConfig, type FileResult } from '../server/src/engine/index';
import { defineRule } from '../rules/api';

const SLS = `service: shop
provider:
  name: aws
  runtime: nodejs20.x
  iam:
    role:
      statements:
        - Effect: Allow
          Action: 's3:*'
          Resource: '*'
functions:
  get:
    handler: src/get.handler
    events:
      - httpApi: GET /files/{name}
  put:
    handler: src/put.handler
  later:
    handler: src/later.handler
`;
const GET = `import { S3Client, GetObjectCommand } from '@aws-sdk/client-s3';
import { convert } from './lib/convert.js';
const s3 = new S3Client({});
export const handler = async (event) => {
  convert(event.pathParameters.name);
  return s3.send(new GetObjectCommand({ Bucket: 'b', Key: 'k' }));
};
`;
const CONVERT = `import { execFileSync } from 'node:child_process';
export function convert(name) {
  return execFileSync('convert', [name, '/tmp/out.png']);
}
`;
const CONVERT_UNSAFE = `import { execSync } from 'node:child_process';
export function convert(name) {
  return execSync(\`convert /tmp/\${name} /tmp/out.png\`);
}
`;
const PUT = `import { S3Client, PutObjectCommand } from '@aws-sdk/client-s3';
const s3 = new S3Client({});
export const handler = async () => s3.send(new PutObjectCommand({ Bucket: 'b', Key: 'k', Body: 'x' }));
`;
const OTHER = `export const handler = async () => ({ statusCode: 200, body: 'ok' });
`;

function workspace(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'faaslint-incremental-'));
  const files: Record<string, string> = {
    'serverless.yml': SLS, 'src/get.js': GET, 'src/lib/convert.js': CONVERT, 'src/put.js': PUT, 'other/index.js': OTHER,
  };
  for (const [rel, text] of Object.entries(files)) write(dir, rel, text);
  return dir;
}

function write(dir: string, rel: string, text: string): void {
  const p = path.join(dir, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
}

/** Each run's results by relative path, and which files it analysed rather than reused. */
function run(engine: Engine, dir: string): { results: Map<string, FileResult>; analysed: number; reused: number } {
  const gen = audit(engine, [dir]);
  const results = new Map<string, FileResult>();
  for (let r = gen.next(); ; r = gen.next()) {
    if (r.done) return { results, analysed: r.value.analysed!, reused: r.value.reused! };
    results.set(path.relative(dir, r.value.file), r.value);
  }
}

/** Files whose result object is new in `b` (a reused result is the very same object). */
function relinted(a: Map<string, FileResult>, b: Map<string, FileResult>): string[] {
  return [...b].filter(([f, r]) => a.get(f) !== r).map(([f]) => f).sort();
}

const ids = (r: FileResult | undefined) => (r?.findings ?? []).map((f) => f.ruleId).sort();

test('a second audit of an unchanged workspace analyses no file and reports the same', () => {
  const dir = workspace();
  const engine = new Engine();
  const first = run(engine, dir);
  assert.equal(first.analysed, 5);
  assert.equal(first.reused, 0);
  const second = run(engine, dir);
  assert.equal(second.analysed, 0);
  assert.equal(second.reused, 5);
  assert.deepEqual(relinted(first.results, second.results), []);
  assert.deepEqual([...second.results.keys()], [...first.results.keys()]);
  // A fresh engine (nothing to reuse) agrees with the reused results.
  const fresh = run(new Engine(), dir);
  for (const [f, r] of fresh.results) assert.deepEqual(second.results.get(f)!.findings, r.findings, f);
});

test('a changed module is analysed again with the files that depend on it, and nothing else', () => {
  const dir = workspace();
  const engine = new Engine();
  const first = run(engine, dir);
  assert.ok(!ids(first.results.get('src/get.js')).includes('handler-no-exec-with-event-input'));
  // The imported helper now builds a command line from its argument.
  write(dir, 'src/lib/convert.js', CONVERT_UNSAFE);
  const second = run(engine, dir);
  // The helper, the handler importing it, and the template linking that handler.
  assert.deepEqual(relinted(first.results, second.results), ['serverless.yml', 'src/get.js', 'src/lib/convert.js']);
  assert.equal(second.analysed, 3);
  assert.equal(second.reused, 2);
  assert.ok(ids(second.results.get('src/get.js')).includes('handler-no-exec-with-event-input'));
  // And then it is all reused again.
  const third = run(engine, dir);
  assert.equal(third.analysed, 0);
});

test('a handler file appearing re-lints the template that pointed at it; an edit to one handler re-lints its template only', () => {
  const dir = workspace();
  const engine = new Engine();
  const first = run(engine, dir);
  assert.ok(ids(first.results.get('serverless.yml')).includes('function-no-missing-handler'));
  write(dir, 'src/later.js', OTHER);
  const second = run(engine, dir);
  assert.deepEqual(relinted(first.results, second.results), ['serverless.yml', 'src/later.js']);
  assert.ok(!ids(second.results.get('serverless.yml')).includes('function-no-missing-handler'));
  // The `put` handler now also reads: the template's wildcard fix for it changes.
  write(dir, 'src/put.js', PUT.replace("Body: 'x' }));", "Body: 'x' })).then(() => s3.send(new GetObjectCommand({ Bucket: 'b', Key: 'k' })));").replace('PutObjectCommand }', 'PutObjectCommand, GetObjectCommand }'));
  const third = run(engine, dir);
  assert.deepEqual(relinted(second.results, third.results), ['serverless.yml', 'src/put.js']);
});

test('a template edit re-lints the handlers it links, including one it starts linking; a config change re-lints everything', () => {
  const dir = workspace();
  const engine = new Engine();
  const first = run(engine, dir);
  fs.appendFileSync(path.join(dir, 'serverless.yml'), '  other:\n    handler: other/index.handler\n');
  const second = run(engine, dir);
  // Handlers read their functions' events from the template; `other/index.js` is newly linked.
  assert.deepEqual(relinted(first.results, second.results), ['other/index.js', 'serverless.yml', 'src/get.js', 'src/put.js']);
  assert.equal(second.reused, 1);
  engine.setConfig(normalizeConfig({ rules: { 'iam-no-wildcard-action': 'off' } }));
  const third = run(engine, dir);
  assert.equal(third.analysed, 5);
  assert.ok(!ids(third.results.get('serverless.yml')).includes('iam-no-wildcard-action'));
});

test('an open buffer (overlay) is a change too; closing it goes back to the file on disk', () => {
  const dir = workspace();
  const engine = new Engine();
  const first = run(engine, dir);
  const convert = path.join(dir, 'src/lib/convert.js');
  engine.docs.setOverlay(convert, CONVERT_UNSAFE, 1);
  const second = run(engine, dir);
  assert.deepEqual(relinted(first.results, second.results), ['serverless.yml', 'src/get.js', 'src/lib/convert.js']);
  assert.ok(ids(second.results.get('src/get.js')).includes('handler-no-exec-with-event-input'));
  engine.docs.clearOverlay(convert);
  const third = run(engine, dir);
  assert.ok(!ids(third.results.get('src/get.js')).includes('handler-no-exec-with-event-input'));
});

test('a template edited in an open buffer and closed unsaved: the audit links from the file on disk again', () => {
  const dir = workspace();
  const engine = new Engine();
  run(engine, dir);
  const sls = path.join(dir, 'serverless.yml');
  const other = path.join(dir, 'other/index.js');
  assert.equal(engine.linksOf(other), '');
  // The editor lints the buffer (which links another handler), then the buffer is closed unsaved.
  engine.docs.setOverlay(sls, SLS + '  other:\n    handler: other/index.handler\n', 3);
  engine.lintFile(sls);
  assert.notEqual(engine.linksOf(other), '');
  engine.docs.clearOverlay(sls);
  const after = run(engine, dir);
  assert.equal(engine.linksOf(other), '');
  const fresh = run(new Engine(), dir);
  for (const [f, r] of fresh.results) assert.deepEqual(after.results.get(f)!.findings, r.findings, f);
});

test('a file that ran out of analysis time is analysed again on the next audit', () => {
  const dir = workspace();
  // A rule that spends CPU past the (lowered) limit on handler files; a second rule never runs.
  const slow = defineRule({
    meta: { id: 'test-slow', description: 'Disallow nothing, slowly.', category: 'config', severity: 'info', targets: ['handler'], cwe: [], sas: 'SAS-11', references: [], messages: {} },
    check() {
      const end = process.cpuUsage().user + 30_000;
      while (process.cpuUsage().user < end) { /* burn CPU */ }
    },
  });
  const engine = new Engine({ rules: [slow, slow], config: normalizeConfig({ maxAnalysisMs: 10 }) });
  const first = run(engine, dir);
  assert.ok(first.results.get('other/index.js')!.problems.some((p) => p.message.startsWith('faaslint: analysis stopped')));
  const second = run(engine, dir);
  // The template had nothing to stop: reused. Every handler stopped: analysed again.
  assert.deepEqual(relinted(first.results, second.results), ['other/index.js', 'src/get.js', 'src/lib/convert.js', 'src/put.js']);
});

test('folders audited in turn under their own configs (multi-root) each reuse their own results', () => {
  const one = workspace();
  const two = workspace();
  const engine = new Engine();
  const configOne = normalizeConfig({ rules: { 'iam-no-wildcard-action': 'off' } });
  const configTwo = normalizeConfig({ exclude: ['other/**'] });
  const audits = [[one, configOne], [two, configTwo], [one, configOne], [two, configTwo]] as const;
  const runs = audits.map(([dir, config]) => {
    // The editor sets each folder's config (an equal copy, as a settings refresh would) before auditing it.
    engine.setConfig(structuredClone(config));
    return run(engine, dir);
  });
  assert.deepEqual(runs.map((r) => r.analysed), [5, 4, 0, 0]);
  assert.ok(!ids(runs[2].results.get('serverless.yml')).includes('iam-no-wildcard-action'));
  assert.ok(ids(runs[3].results.get('serverless.yml')).includes('iam-no-wildcard-action'));
});
