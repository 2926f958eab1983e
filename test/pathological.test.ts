// Inputs a workspace can contain that must neither crash nor hang the engine: alias bombs, very
// deep nesting, huge minified files, huge templates, invalid UTF-8, CRLF and BOM, symlink loops,
// files deleted mid-audit, and rules that run out of time. Behaviour is asserted, never timings.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { transformSync } from 'esbuild';
import { parseDocument } from 'yaml';
import { Engine, audit, loadConfigFile, type FileResult } from '../server/src/engine/index';
import { DEFAULT_CONFIG, type Config } from '../server/src/engine/config';
import { MAX_NESTING } from '../server/src/engine/documents';
import { deref, MAX_ALIAS_EXPANSION } from '../rules/template/yaml';
import { defineRule, type Rule } from '../rules/api';
import { generateHandler } from '../scripts/bench/gen';
import { makeTree } from './support/tree';

const dirs: string[] = [];
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
function workspace(files: Record<string, string | Buffer> = {}): string {
  const dir = makeTree(files, 'faaslint-patho-');
  dirs.push(dir);
  return dir;
}

const config = (over: Partial<Config> = {}): Config => ({ ...DEFAULT_CONFIG, rules: {}, exclude: [], ...over });
const crashes = (r: FileResult) => r.problems.filter((p) => /^faaslint: (rule .* failed|analysis stopped)/.test(p.message));
const ids = (r: FileResult) => r.findings.map((f) => f.ruleId);
/** The text a finding's range covers, read from `text` by line and column. */
function covered(text: string, r: FileResult, ruleId: string): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  return r.findings.filter((f) => f.ruleId === ruleId).map((f) => {
    assert.equal(f.range.start.line, f.range.end.line, 'single-line finding');
    return lines[f.range.start.line].slice(f.range.start.character, f.range.end.character);
  });
}

// Split so secret scanners do not flag this file.
const ACCESS_KEY = 'AKIA' + 'UJZDEGXDNCF32EPF';
const WILDCARD_SLS = `service: demo
provider:
  name: aws
  runtime: nodejs24.x
  iam:
    role:
      statements:
        - Effect: Allow
          Action: '*'
          Resource: arn:aws:s3:::demo/*
functions:
  api:
    handler: src/api.handler
`;
const SECRET_HANDLER = `const key = '${ACCESS_KEY}';\nexports.handler = async () => ({ statusCode: 200, body: key.length });\n`;

// ---------------------------------------------------------------------------------------------
// YAML aliases

const BOMB = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]']
  .concat(Array.from({ length: 9 }, (_, i) => `a${i + 1}: &a${i + 1} [${Array(10).fill(`*a${i}`).join(', ')}]`))
  .join('\n');

test('a YAML alias bomb is linted without expanding it', () => {
  const template = `AWSTemplateFormatVersion: '2010-09-09'\n${BOMB}\nResources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties: *a9\n    Metadata:\n      Big: [*a9, *a9, *a9]\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      Policies:\n        - PolicyName: all\n          PolicyDocument:\n            Statement:\n              - Effect: Allow\n                Action: '*'\n                Resource: '*'\n`;
  const dir = workspace({ 'template.yaml': template });
  const r = new Engine({ config: config() }).lintFile(path.join(dir, 'template.yaml'));
  assert.equal(r.skipped, undefined);
  assert.deepEqual(crashes(r), []);
  assert.ok(ids(r).includes('iam-no-wildcard-action'), `the real finding is still found: ${ids(r)}`);
});

test('aliases resolve within bounds: small ones follow, bombs and cycles do not', () => {
  const doc = parseDocument(`${BOMB}\nsmall: &s { k: v }\nuse: *s\nself: &c [*c]\n`);
  const alias = (key: string, i = 0) => {
    const v = (doc.get(key, true) as { items?: unknown[] } | unknown);
    return (v as { items: unknown[] }).items ? (v as { items: unknown[] }).items[i] : v;
  };
  assert.ok(deref(doc.get('use', true), doc), 'a small alias resolves');
  assert.ok(deref(alias('a1'), doc), 'an alias to 10 nodes resolves');
  assert.equal(deref(alias('a9'), doc), undefined, `an alias expanding past ${MAX_ALIAS_EXPANSION} nodes stays unresolved`);
  assert.equal(deref(alias('self'), doc), undefined, 'a cyclic alias stays unresolved');
});

test('an alias bomb in .faaslint.yaml is a configuration problem, not a hang', () => {
  const dir = workspace({ '.faaslint.yaml': `${BOMB}\nrules: *a9\n` });
  const loaded = loadConfigFile(dir);
  assert.ok(loaded.problems.length > 0, 'reported');
});

// ---------------------------------------------------------------------------------------------
// Nesting

test(`10,000-deep nesting is skipped with a reason (YAML, JSON and JS), ${MAX_NESTING / 2} levels are linted`, () => {
  const deep = 10_000;
  const dir = workspace({
    'template.yaml': `AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      Tags: ${'['.repeat(deep)}${']'.repeat(deep)}\n`,
    'stack.json': `{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"B": {"Type": "AWS::S3::Bucket", "Properties": ${'{"a":'.repeat(deep)}1${'}'.repeat(deep)}}}}`,
    'src/deep.js': `exports.handler = async (event) => ${'['.repeat(deep)}event.body${']'.repeat(deep)};\n`,
    'src/blocks.js': `exports.handler = async (event) => {${'if (event.a) {'.repeat(deep)}${'}'.repeat(deep)}};\n`,
    'src/ok.js': `const k = '${ACCESS_KEY}';\nexports.handler = async (event) => ${'['.repeat(MAX_NESTING / 4)}event.body${']'.repeat(MAX_NESTING / 4)};\n`,
  });
  const engine = new Engine({ config: config() });
  for (const f of ['template.yaml', 'stack.json', 'src/deep.js', 'src/blocks.js']) {
    const r = engine.lintFile(path.join(dir, f));
    assert.match(r.skipped ?? '', /nested more than \d+ levels deep/, f);
  }
  const ok = engine.lintFile(path.join(dir, 'src/ok.js'));
  assert.equal(ok.skipped, undefined);
  assert.deepEqual(crashes(ok), []);
  assert.ok(ids(ok).includes('secrets-no-hardcoded'));
});

// ---------------------------------------------------------------------------------------------
// Size

/** About `bytes` of minified JS: bundles of generated handlers, one line. */
function minified(bytes: number): string {
  const code = transformSync(generateHandler(3000, 5), { minify: true, format: 'cjs', loader: 'js' }).code.replace(/\n/g, '');
  const chunk = `(()=>{var exports={};${code}})();`;
  return chunk.repeat(Math.ceil(bytes / chunk.length));
}

test('a 5 MB minified file is skipped by size with the reason; with the limit raised it is linted', () => {
  const text = minified(5 * 1024 * 1024);
  assert.ok(text.length >= 5 * 1024 * 1024 && !text.includes('\n'));
  const dir = workspace({ 'dist-like/bundle.js': text });
  const file = path.join(dir, 'dist-like/bundle.js');
  const skipped = new Engine({ config: config() }).lintFile(file);
  assert.match(skipped.skipped ?? '', /^larger than the 2\.0 MB limit \(5\.\d MB\)$/);
  // Raised limit: analysed. The rules run under the time limit, which may stop them (parsing 5 MB
  // already takes seconds): then one info problem says so, and nothing crashes.
  const r = new Engine({ config: config({ maxFileSize: 8 * 1024 * 1024, maxAnalysisMs: 500 }) }).lintFile(file);
  assert.equal(r.skipped, undefined);
  assert.equal(r.kind, 'handler');
  assert.ok(r.problems.every((p) => p.severity === 'info' && /^faaslint: analysis stopped/.test(p.message)), JSON.stringify(r.problems));
});

test('a template with 10,000 resources is linted completely', () => {
  const resources = Array.from({ length: 10_000 }, (_, i) => `  Queue${i}:\n    Type: AWS::SQS::Queue\n    Properties:\n      VisibilityTimeout: 60\n`).join('');
  const text = `AWSTemplateFormatVersion: '2010-09-09'\nResources:\n${resources}  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      Policies:\n        - PolicyName: all\n          PolicyDocument:\n            Statement:\n              - Effect: Allow\n                Action: '*'\n                Resource: '*'\n`;
  assert.ok(text.length < 2 * 1024 * 1024);
  const dir = workspace({ 'template.yaml': text });
  // A generous limit: this asserts completeness, not speed (the benchmark measures that).
  const r = new Engine({ config: config({ maxAnalysisMs: 120_000 }) }).lintFile(path.join(dir, 'template.yaml'));
  assert.equal(r.skipped, undefined);
  assert.deepEqual(r.problems, []);
  assert.ok(ids(r).includes('iam-no-wildcard-action'));
});

// ---------------------------------------------------------------------------------------------
// Encodings and line endings

test('invalid UTF-8 is decoded (U+FFFD) and findings after it land on their columns', () => {
  const before = Buffer.from('// caf');
  const bad = Buffer.from([0xc3, 0x28, 0xff, 0xed, 0xa0, 0x80]);
  const rest = Buffer.from(` note\nconst label = 'x${'\u00e9'}'; const key = '${ACCESS_KEY}';\nexports.handler = async () => key;\n`);
  const dir = workspace({ 'src/h.js': Buffer.concat([before, bad, rest]) });
  const r = new Engine({ config: config() }).lintFile(path.join(dir, 'src/h.js'));
  assert.equal(r.skipped, undefined, 'not mistaken for a binary file');
  assert.deepEqual(crashes(r), []);
  const text = fs.readFileSync(path.join(dir, 'src/h.js'), 'utf8');
  assert.ok(text.includes('\uFFFD'));
  assert.deepEqual(covered(text, r, 'secrets-no-hardcoded'), [ACCESS_KEY]);
});

test('CRLF line endings: findings land on the right lines and columns', () => {
  const sls = WILDCARD_SLS.replace(/\n/g, '\r\n');
  const handler = SECRET_HANDLER.replace(/\n/g, '\r\n');
  const dir = workspace({ 'serverless.yml': sls, 'src/api.js': handler });
  const engine = new Engine({ config: config() });
  const results = new Map([...audit(engine, [dir])].map((r) => [path.relative(dir, r.file), r]));
  const t = results.get('serverless.yml')!;
  assert.deepEqual(covered(sls, t, 'iam-no-wildcard-action'), ["'*'"]);
  assert.equal(t.findings.find((f) => f.ruleId === 'iam-no-wildcard-action')!.range.start.line, 8);
  const h = results.get(path.join('src', 'api.js'))!;
  assert.deepEqual(covered(handler, h, 'secrets-no-hardcoded'), [ACCESS_KEY]);
  // Fix edits keep the line endings they found (no bare \n spliced into CRLF text is required,
  // but no edit may split a \r\n pair).
  for (const f of [...t.findings, ...h.findings]) {
    for (const e of f.fixes.flatMap((x) => x.edits)) {
      const text = e.file.endsWith('.yml') ? sls : handler;
      for (const at of [e.start, e.end]) assert.ok(!(text[at - 1] === '\r' && text[at] === '\n'), `${f.ruleId}: edit splits a CRLF at ${at}`);
    }
  }
});

test('a byte order mark does not shift columns on the first line', () => {
  const handler = `\uFEFF${SECRET_HANDLER}`;
  const sls = `\uFEFF${WILDCARD_SLS}`;
  const dir = workspace({ 'serverless.yml': sls, 'src/api.js': handler });
  const engine = new Engine({ config: config() });
  const results = new Map([...audit(engine, [dir])].map((r) => [path.relative(dir, r.file), r]));
  const h = results.get(path.join('src', 'api.js'))!;
  const key = h.findings.find((f) => f.ruleId === 'secrets-no-hardcoded')!;
  // As an editor shows the file: without the BOM.
  assert.equal(key.range.start.line, 0);
  assert.equal(key.range.start.character, SECRET_HANDLER.indexOf(ACCESS_KEY));
  assert.deepEqual(covered(WILDCARD_SLS, results.get('serverless.yml')!, 'iam-no-wildcard-action'), ["'*'"]);
});

// ---------------------------------------------------------------------------------------------
// The audited tree

test('an audit follows no symlink loop and lists each file once', (t) => {
  const dir = workspace({ 'serverless.yml': WILDCARD_SLS, 'src/api.js': SECRET_HANDLER });
  try {
    fs.symlinkSync(dir, path.join(dir, 'src', 'loop'), 'dir');
    fs.symlinkSync(path.join(dir, 'a'), path.join(dir, 'b'));
    fs.symlinkSync(path.join(dir, 'b'), path.join(dir, 'a'));
    fs.symlinkSync(path.join(dir, 'src', 'api.js'), path.join(dir, 'src', 'alias.js'));
  } catch (e) {
    t.skip(`cannot create symlinks here: ${(e as Error).message}`);
    return;
  }
  const results = [...audit(new Engine({ config: config() }), [dir])];
  const files = results.map((r) => path.relative(dir, r.file)).sort();
  assert.deepEqual(files, ['serverless.yml', path.join('src', 'api.js')]);
  assert.ok(results.every((r) => !r.skipped));
});

test('files deleted during an audit are reported as gone; the audit goes on', () => {
  const files: Record<string, string> = { 'serverless.yml': WILDCARD_SLS, 'src/api.js': SECRET_HANDLER };
  for (let i = 0; i < 6; i++) files[`src/h${i}.js`] = SECRET_HANDLER;
  const dir = workspace(files);
  const gen = audit(new Engine({ config: config() }), [dir]);
  const results: FileResult[] = [];
  let deleted = false;
  for (let next = gen.next(); !next.done; next = gen.next()) {
    results.push(next.value);
    if (!deleted) {
      // Delete the template (already indexed) and two handlers not linted yet.
      for (const f of ['serverless.yml', 'src/h4.js', 'src/h5.js']) fs.rmSync(path.join(dir, f), { force: true });
      deleted = true;
    }
  }
  const byFile = new Map(results.map((r) => [path.relative(dir, r.file), r]));
  assert.equal(byFile.get(path.join('src', 'h5.js'))?.skipped, 'file not found');
  assert.ok(ids(byFile.get(path.join('src', 'h3.js'))!).includes('secrets-no-hardcoded'));
  assert.ok(results.every((r) => !r.skipped?.startsWith('internal error')));
});

// ---------------------------------------------------------------------------------------------
// The time limit

test('past the analysis time limit a file reports one "analysis stopped" problem and keeps what finished', () => {
  const slow: Rule = defineRule({
    meta: { id: 'zz-slow', description: 'Disallow nothing, slowly.', category: 'config', severity: 'warning', targets: ['handler'], cwe: [], sas: 'SAS-01', references: [], messages: { m: 'slow' } },
    check(ctx) {
      const until = performance.now() + 80;
      while (performance.now() < until) { /* a rule that takes its time */ }
      ctx.report({ messageId: 'm', span: { start: 0, end: 1 } });
    },
  });
  const never: Rule = defineRule({ ...slow, meta: { ...slow.meta, id: 'zz-after' }, check: () => assert.fail('runs after the limit') });
  const dir = workspace({ 'src/api.js': SECRET_HANDLER });
  const r = new Engine({ rules: [slow, never], config: config({ maxAnalysisMs: 20 }) }).lintFile(path.join(dir, 'src/api.js'));
  assert.deepEqual(ids(r), ['zz-slow']);
  assert.equal(r.problems.length, 1);
  assert.equal(r.problems[0].severity, 'info');
  assert.match(r.problems[0].message, /^faaslint: analysis stopped after \d+ ms \(the limit is 20 ms\); 1 rule did not run: zz-after\.$/);
});
