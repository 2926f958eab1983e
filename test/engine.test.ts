// The engine end to end on a small workspace on disk: linking, dependencies, config,
// suppressions, and bad input that must be skipped or reported, never crash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { Engine, audit, normalizeConfig, type FileResult } from '../server/src/engine/index';
import { defineRule } from '../rules/api';
import { rules as allRules } from '../rules/index';
import { makeTree } from './support/tree';

// Only the wildcard rule: these tests are about the engine, not about which rules exist.
const rules = allRules.filter((r) => r.meta.id === 'iam-no-wildcard-action');

const workspace = (files: Record<string, string | Buffer>) => makeTree(files, 'faaslint-engine-');

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
`;
const HANDLER = `import { S3Client, GetObjectCommand } from '@aws-sdk/client-s3';
const s3 = new S3Client({});
export const handler = async () => s3.send(new GetObjectCommand({ Bucket: 'b', Key: 'k' }));
`;

function auditAll(engine: Engine, dir: string): Map<string, FileResult> {
  return new Map([...audit(engine, [dir])].map((r) => [path.relative(dir, r.file), r]));
}

test('a template links to its handler; editing the handler changes the template finding', () => {
  const dir = workspace({ 'serverless.yml': SLS, 'src/get.ts': HANDLER });
  const engine = new Engine({ rules });
  const results = auditAll(engine, dir);
  const finding = results.get('serverless.yml')!.findings.find((f) => f.ruleId === 'iam-no-wildcard-action')!;
  // (The title may go on to say how the resource is scoped: that is the rule's business.)
  assert.match(finding.fixes[0].title, /^Replace `s3:\*` with the 1 s3 action `get`'s code calls/);
  assert.equal(finding.related[0].uri, path.join(dir, 'src/get.ts'));
  assert.deepEqual(engine.dependentsOf(path.join(dir, 'src/get.ts')), [path.join(dir, 'serverless.yml')]);
  // The editor changes the handler (an overlay): the template's fix follows.
  engine.docs.setOverlay(path.join(dir, 'src/get.ts'), HANDLER.replace('GetObjectCommand', 'PutObjectCommand').replace('GetObjectCommand', 'PutObjectCommand'), 2);
  const again = engine.lintFile(path.join(dir, 'serverless.yml')).findings.find((f) => f.ruleId === 'iam-no-wildcard-action')!;
  assert.match(again.fixes[0].edits[0].newText, /s3:PutObject/);
  assert.doesNotMatch(again.fixes[0].edits[0].newText, /s3:GetObject/);
});

test('config turns a rule off or changes its severity; suppressions silence one line', () => {
  const dir = workspace({ 'serverless.yml': SLS.replace("        - Effect: Allow\n", "        # faaslint-ignore iam-no-wildcard-action -- reviewed\n        - Effect: Allow\n").replace("          Action: 's3:*'", "          Action: 's3:*' # faaslint-ignore iam-no-wildcard-action -- reviewed"), 'src/get.ts': HANDLER });
  const quiet = new Engine({ rules }).lintFile(path.join(dir, 'serverless.yml'));
  assert.deepEqual(quiet.findings.map((f) => f.ruleId), []);
  const dir2 = workspace({ 'serverless.yml': SLS });
  assert.equal(new Engine({ rules, config: normalizeConfig({ rules: { 'iam-no-wildcard-action': 'info' } }) }).lintFile(path.join(dir2, 'serverless.yml')).findings[0].severity, 'info');
  assert.equal(new Engine({ rules, config: normalizeConfig({ rules: { 'iam-no-wildcard-action': 'off' } }) }).lintFile(path.join(dir2, 'serverless.yml')).findings.length, 0);
  // JSON templates: Metadata on the resource silences the rule inside it, and only there.
  const role = (id: string, meta?: object) => ({ [id]: { Type: 'AWS::IAM::Role', ...(meta ? { Metadata: meta } : {}), Properties: { Policies: [{ PolicyDocument: { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }] } } });
  const dir3 = workspace({ 'stack.json': JSON.stringify({ AWSTemplateFormatVersion: '2010-09-09', Resources: { ...role('Quiet', { faaslint: { ignore: ['iam-no-wildcard-action -- break-glass role'] } }), ...role('Loud') } }, null, 2) });
  const json = new Engine({ rules }).lintFile(path.join(dir3, 'stack.json'));
  assert.equal(json.findings.length, 1);
  assert.ok(json.findings[0].range.start.line > 20, 'the finding left is in the second role');
  const problems: string[] = [];
  normalizeConfig({ rules: { x: 'loud' }, colour: true }, problems);
  assert.deepEqual(problems, ['unknown option "colour"', 'rules.x: expected one of error, warning, info, off']);
});

test('bad input is skipped or reported and never stops the audit', () => {
  const dir = workspace({
    'a/serverless.yml': 'service: a\nprovider:\n  name: aws\n  environment: [\n',
    'b/template.yaml': Buffer.from([0x41, 0x00, 0x42, 0xff, 0xfe]),
    'c/huge.yml': 'x: ' + 'a'.repeat(3 * 1024 * 1024),
    'd/half.ts': 'export const handler = async (event) => {\n  exec(`ls ${event.',
    'e/serverless.yml': SLS,
    'node_modules/pkg/serverless.yml': SLS,
    '.gitignore': 'ignored/\n',
    'ignored/serverless.yml': SLS,
    'f/bomb.yml': 'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\nResources: {}\nAWSTemplateFormatVersion: "2010-09-09"\n',
  });
  const results = auditAll(new Engine({ rules }), dir);
  assert.ok(results.get('a/serverless.yml')!.problems.length > 0, 'broken YAML reports a parse problem');
  assert.equal(results.get('b/template.yaml')!.skipped, 'binary file');
  assert.match(results.get('c/huge.yml')!.skipped ?? '', /larger than the 2\.0 MB limit/);
  assert.ok(results.get('d/half.ts')!.problems.length > 0);
  assert.equal(results.get('e/serverless.yml')!.findings.length, 1);
  assert.ok(!results.has('node_modules/pkg/serverless.yml'));
  assert.ok(!results.has('ignored/serverless.yml'));
  assert.equal(results.get('f/bomb.yml')!.kind, 'template');
});

test('a rule that throws becomes a problem on the file; other rules still report', () => {
  const dir = workspace({ 'serverless.yml': SLS });
  const boom = defineRule({
    meta: { id: 'test-boom', description: 'Disallow nothing.', category: 'config', severity: 'error', targets: ['template'], cwe: [], sas: 'SAS-03', references: [], messages: {} },
    check() { throw new Error('kaboom'); },
  });
  const r = new Engine({ rules: [boom, ...rules] }).lintFile(path.join(dir, 'serverless.yml'));
  assert.match(r.problems[0].message, /rule test-boom failed: kaboom/);
  assert.equal(r.findings.length, 1);
});
