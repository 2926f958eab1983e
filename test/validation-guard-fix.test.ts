// The "insert a validation guard" fix: applied on its own, re-parsed and re-linted (the template
// finding goes, nothing new appears, TypeScript output still type-checks); zod or typeof guards
// by the nearest package.json; the code style of the file; where it is not offered.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { lintFixtureDir, lintTexts, type LintedFile } from './support/lint-dir';
import { Engine, applyEdits, type LocatedFinding, type LocatedFix } from '../server/src/engine/index';
import { parseDependencies } from '../server/src/engine/packages';
import { buildHandler } from '../rules/handler/build';
import { handlerEntries } from '../rules/taint/sources';
import { validationGuardFix } from '../rules/validation/guard-fix';
import { requestFields } from '../rules/validation/request-fields';
import type { Workspace } from '../rules/api';

const ROOT = path.resolve(__dirname, '..');
const RULE = 'input-validation-no-request-validation';
const GUARD = /^Insert a validation guard/;

const counts = (ids: string[]) => ids.reduce((m, id) => m.set(id, (m.get(id) ?? 0) + 1), new Map<string, number>());

/** Applies one fix alone to the fixture texts; returns the new texts and their lint results. */
function applyOne(files: LintedFile[], fix: LocatedFix) {
  const texts = new Map(files.map((f) => [f.rel, f.linted]));
  const linked = files.find((f) => path.isAbsolute(f.result.file))!;
  const root = linked.result.file.slice(0, linked.result.file.length - linked.rel.length);
  const byFile = new Map<string, typeof fix.edits>();
  for (const e of fix.edits) {
    const rel = e.file.slice(root.length);
    byFile.set(rel, [...(byFile.get(rel) ?? []), e]);
  }
  for (const [rel, edits] of byFile) texts.set(rel, applyEdits(texts.get(rel)!, edits));
  return { texts, changed: [...byFile.keys()], after: lintTexts(texts) };
}

/** Nothing new in any file: per file, no rule reports more findings and no more parse problems than before. */
function assertNothingNew(files: LintedFile[], after: Map<string, { findings: LocatedFinding[]; problems: unknown[] }>, label: string) {
  for (const f of files) {
    const r = after.get(f.rel);
    if (!r) continue; // not something faaslint reads (package.json)
    assert.ok(r.problems.length <= f.result.problems.length, `${label}: ${f.rel} no longer parses`);
    const before = counts(f.result.findings.map((x) => x.ruleId));
    for (const [id, n] of counts(r.findings.map((x) => x.ruleId))) {
      assert.ok(n <= (before.get(id) ?? 0), `${label}: ${f.rel} has ${n} ${id} finding(s) after the fix, ${before.get(id) ?? 0} before: ${r.findings.filter((x) => x.ruleId === id).map((x) => x.message).join(' | ')}`);
    }
  }
}

/** Semantic errors of TypeScript sources against small stubs of the packages they import. */
function typeErrors(files: Map<string, string>): Map<string, string[]> {
  const stubs = `
declare module 'zod' { export const z: any; }
declare module 'aws-lambda' {
  type Params = { [name: string]: string | undefined };
  export interface APIGatewayProxyEventV2 { body?: string; headers: Params; pathParameters?: Params; queryStringParameters?: Params }
  export interface SQSEvent { Records: Array<{ body: string }> }
}
declare module '@middy/core' { const middy: <T extends (...a: any[]) => any>(fn: T) => T & { use(m: unknown): T }; export default middy; }
declare module '@middy/http-json-body-parser' { const parser: () => unknown; export default parser; }
declare module '@aws-sdk/client-dynamodb' { export class DynamoDBClient { constructor(c: object) } }
declare module '@aws-sdk/lib-dynamodb' {
  export const DynamoDBDocumentClient: { from(c: unknown): { send(c: unknown): Promise<{ Item?: Record<string, unknown> }> } };
  export class GetCommand { constructor(i: object) }
  export class PutCommand { constructor(i: object) }
}
declare module 'pg' { export class Pool { constructor(c: object); query(q: string, v?: unknown[]): Promise<{ rows: unknown[] }> } }
declare const process: { env: Record<string, string | undefined> };
`;
  const all = new Map<string, string>([...files].map(([k, v]) => [`/src/${k}`, v]));
  all.set('/src/stubs.d.ts', stubs);
  const options: ts.CompilerOptions = { strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, lib: ['lib.es2022.d.ts'], types: [], skipLibCheck: true };
  const host = ts.createCompilerHost(options);
  const read = host.readFile.bind(host);
  host.readFile = (f) => all.get(f) ?? read(f);
  host.fileExists = (f) => all.has(f) || ts.sys.fileExists(f);
  const get = host.getSourceFile.bind(host);
  host.getSourceFile = (f, lang) => (all.has(f) ? ts.createSourceFile(f, all.get(f)!, lang) : get(f, lang));
  const program = ts.createProgram([...all.keys()], options, host);
  const out = new Map<string, string[]>();
  for (const [name] of files) {
    const sf = program.getSourceFile(`/src/${name}`)!;
    out.set(name, [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)].map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' ')));
  }
  return out;
}

test('guard fix on the template finding: applied alone, the finding is gone and nothing new appears', () => {
  const dir = path.join(ROOT, 'rules', RULE, 'fixtures');
  const files = lintFixtureDir(dir);
  let applied = 0;
  for (const f of files) {
    for (const finding of f.result.findings.filter((x) => x.ruleId === RULE)) {
      const fix = finding.fixes.find((x) => GUARD.test(x.title));
      if (!fix) continue;
      applied++;
      assert.equal(fix.kind, 'suggestion');
      const label = `${f.rel}:${finding.range.start.line + 1}`;
      const { after, changed } = applyOne(files, fix);
      assert.equal(changed.length, 1, `${label}: the guard edits one handler file`);
      assert.ok(!changed.includes(f.rel), `${label}: the edit goes into the handler, not the template`);
      const still = after.get(f.rel)!.findings.filter((x) => x.ruleId === RULE && x.range.start.line === finding.range.start.line);
      assert.deepEqual(still.map((x) => x.message), [], `${label}: the finding is still reported after the guard`);
      assertNothingNew(files, after, label);
    }
  }
  // orders.create, products.search, invoices.void, and five handlers of the zod app.
  assert.equal(applied, 8);
});

test('guard fix: zod when the nearest package.json depends on it, typeof checks otherwise; the express app gets none', () => {
  const files = lintFixtureDir(path.join(ROOT, 'rules', RULE, 'fixtures'));
  const titles = new Map<string, string[]>();
  for (const f of files) {
    for (const x of f.result.findings.filter((y) => y.ruleId === RULE)) titles.set(`${f.rel}:${x.message.slice(0, x.message.indexOf('`', 1) + 1)}`, x.fixes.map((y) => y.title));
  }
  assert.deepEqual(titles.get('serverless.yml:`POST /orders`'), ['Insert a validation guard (typeof checks) at the top of handler `create`']);
  assert.deepEqual(titles.get('zod-app/serverless.yml:`POST /items`'), ['Insert a validation guard (zod) at the top of handler `create`']);
  assert.deepEqual(titles.get('zod-app/serverless.yml:`PATCH /items/{id}`'), ['Insert a validation guard (zod) at the top of handler `handler`']);
  // req/res handlers of an express app answer 400 differently: no guard offered.
  assert.deepEqual(titles.get('serverless.yml:`ANY /admin/{proxy+}`'), []);
});

test('guard fix: fixed TypeScript handlers type-check as well as the originals', () => {
  const dir = path.join(ROOT, 'rules', RULE, 'fixtures', 'zod-app', 'src');
  const originals = new Map<string, string>();
  const fixed = new Map<string, string>();
  for (const name of fs.readdirSync(dir)) {
    if (!name.endsWith('.ts')) continue;
    (name.includes('.fixed.') ? fixed : originals).set(name.replace('.fixed', ''), fs.readFileSync(path.join(dir, name), 'utf8'));
  }
  assert.ok(fixed.size >= 3, 'fixed TypeScript outputs exist');
  const before = typeErrors(originals);
  const after = typeErrors(new Map([...originals, ...fixed]));
  for (const [name, errors] of after) assert.deepEqual(errors, before.get(name), `${name}: the guard adds type errors`);
  // The check can fail: a guard that redeclares a local is caught.
  const broken = new Map([['x.ts', 'export const handler = async (event: { body?: string }) => {\n  let body: unknown;\n  const body = 1;\n  return body;\n};\n']]);
  assert.ok(typeErrors(broken).get('x.ts')!.length > 0);
});

test('guard fix on taint findings: a second, non-preferred fix for HTTP handlers; the sink finding stays', () => {
  const dir = path.join(ROOT, 'rules', 'handler-no-sql-injection', 'fixtures');
  const files = lintFixtureDir(dir);
  const file = (rel: string) => files.find((f) => f.rel === rel)!;
  const sql = (rel: string) => file(rel).result.findings.filter((x) => x.ruleId === 'handler-no-sql-injection');

  const [invoices] = sql('zod-project/src/invoices.ts');
  assert.equal(invoices.fixes.length, 2);
  assert.doesNotMatch(invoices.fixes[0].title, GUARD);
  assert.equal(invoices.fixes[1].title, 'Insert a validation guard (zod) at the top of handler `handler` (rejects malformed requests; the sink itself stays as it is)');
  const { after } = applyOne(files, invoices.fixes[1]);
  const now = after.get('zod-project/src/invoices.ts')!;
  assert.equal(now.findings.filter((x) => x.ruleId === 'handler-no-sql-injection').length, 1, 'the guard does not parameterize the query (the title says so)');
  assert.equal(after.get('zod-project/serverless.yml')!.findings.filter((x) => x.ruleId === RULE).length, 0, 'the template finding goes');
  assertNothingNew(files, after, 'invoices.ts');

  // SQS messages are not HTTP requests: only the SQL fix.
  const [archive] = sql('zod-project/src/archive.ts');
  assert.deepEqual(archive.fixes.map((x) => GUARD.test(x.title)), [false]);
  // A project without zod: typeof checks.
  const users = sql('src/users.mjs');
  assert.ok(users.length > 0 && users.every((x) => x.fixes.length === 2 && /\(typeof checks\)/.test(x.fixes[1].title)));
});

// ---- unit cases: parsing handlers directly --------------------------------------------------

function fixFor(uri: string, text: string, deps: string[] = [], exportName = 'handler') {
  const model = buildHandler(uri, text);
  const ws = { packageDependencies: () => new Set(deps) } as unknown as Workspace;
  const [entry] = handlerEntries(model, [exportName]);
  const fix = entry && validationGuardFix(model, entry, ws);
  return { model, entry, fix, fixed: fix ? applyEdits(text, fix.edits) : undefined };
}

test('guard fix: follows the file\'s indentation, quotes and semicolons', () => {
  const src = 'exports.handler = async (event) => {\n\tconst { name } = JSON.parse(event.body)\n\treturn { statusCode: 200, body: "hi " + name }\n}\n';
  const { fixed } = fixFor('/w/h.js', src);
  assert.ok(fixed);
  assert.match(fixed, /\n\tlet body\n\ttry \{\n\t\tbody = JSON\.parse\(event\.body \?\? ""\)\n/);
  assert.match(fixed, /\n\tif \(\n\t\ttypeof body !== "object" \|\| body === null \|\|\n\t\ttypeof body\.name !== "string"\n\t\) \{\n\t\treturn \{ statusCode: 400, body: JSON\.stringify\(\{ message: "Invalid request" \}\) \}\n\t\}\n\tconst \{ name \}/);
  assert.equal(buildHandler('/w/h.js', fixed).problems.length, 0);
});

test('guard fix: new locals do not clash with the handler\'s names; an existing zod import is reused', () => {
  const src = [
    "import * as zod from 'zod';",
    '',
    'export const handler = async (event) => {',
    '  const input = 1;',
    '  const body = JSON.parse(event.body);',
    '  return { statusCode: 200, body: body.title + input };',
    '};',
    '',
  ].join('\n');
  const { fixed, fix } = fixFor('/w/h.mjs', src, []);
  assert.ok(fixed && fix);
  assert.equal(fix.edits.length, 1, 'no second zod import');
  assert.match(fixed, /let requestBody;/);
  assert.match(fixed, /const requestInput = zod\.object\(\{\n    body: zod\.object\(\{ title: zod\.string\(\) \}\),\n  \}\)\.safeParse\(\{ body: requestBody \}\);/);
  assert.equal(buildHandler('/w/h.mjs', fixed).problems.length, 0);
});

test('guard fix: an arrow with an expression body becomes a block; CommonJS gets require(\'zod\')', () => {
  const src = "const db = require('./db');\n\nmodule.exports.handler = async (event) => db.get(event.pathParameters.id);\n";
  const { fixed } = fixFor('/w/h.js', src, ['zod']);
  assert.equal(fixed, [
    "const db = require('./db');",
    "const { z } = require('zod');",
    '',
    'module.exports.handler = async (event) => {',
    '  // TODO: tighten the schema: fields are only checked to be strings (use z.number(), formats, lengths, enums where they apply).',
    '  const input = z.object({',
    '    pathParameters: z.object({ id: z.string() }),',
    '  }).safeParse({ pathParameters: event.pathParameters ?? {} });',
    '  if (!input.success) {',
    "    return { statusCode: 400, body: JSON.stringify({ message: 'Invalid request' }) };",
    '  }',
    '  return db.get(event.pathParameters.id);',
    '};',
    '',
  ].join('\n'));
});

test('guard fix: a comment after `=>` stays before `return` (ASI), a one-line block is split', () => {
  const arrow = fixFor('/w/a.mjs', 'export const handler = async (event) => // echo\n  ({ statusCode: 200, body: event.queryStringParameters.q });\n').fixed!;
  assert.match(arrow, /\n  \/\/ echo\n  return \(\{ statusCode: 200, body: event\.queryStringParameters\.q \}\);\n\};\n$/);
  const block = fixFor('/w/b.mjs', 'export const handler = async (event) => { /* id */ return { body: event.pathParameters.id }; };\n').fixed!;
  assert.match(block, /\n  \}\n  \/\* id \*\/ return \{ body: event\.pathParameters\.id \}; \};\n$/);
  for (const [uri, text] of [['/w/a.mjs', arrow], ['/w/b.mjs', block]]) assert.equal(buildHandler(uri, text).problems.length, 0);
});

test('guard fix: a module-level `z` that is not zod means plain guards', () => {
  const src = "const z = 26;\nexport const handler = async (event) => ({ statusCode: 200, body: event.queryStringParameters.q + z });\n";
  const { fix } = fixFor('/w/h.mjs', src, ['zod']);
  assert.match(fix!.title, /typeof checks/);
});

test('guard fix: not offered when no request field is read, for SQS records or for express handlers', () => {
  assert.equal(fixFor('/w/a.mjs', 'export const handler = async (event) => ({ statusCode: 200, body: event.requestContext.requestId });\n').fix, undefined);
  assert.equal(fixFor('/w/b.mjs', 'export const handler = async (event) => {\n  for (const r of event.Records) console.log(JSON.parse(r.body).id);\n};\n').fix, undefined);
  const express = "const serverless = require('serverless-http');\nconst app = require('express')();\napp.get('/x/:id', (req, res) => res.send(req.params.id));\nmodule.exports.handler = serverless(app);\n";
  const { entry, fix } = fixFor('/w/c.js', express);
  assert.equal(entry?.input, 'request');
  assert.equal(fix, undefined);
  // A check on the body alone is not a read of its fields.
  assert.equal(fixFor('/w/d.mjs', "export const handler = async (event) => ({ statusCode: event.body ? 200 : 204, body: '' });\n").fix, undefined);
});

test('request fields: destructuring, aliases, defaults, lists and values used as numbers', () => {
  const src = [
    'export const handler = async ({ body, pathParameters }) => {',
    '  const data = JSON.parse(body);',
    '  const { title, tags = [] } = data;',
    '  const qty = Number(data.qty);',
    "  const sku = data['sku-code'];",
    '  return { statusCode: 200, body: `${title}${tags.join()}${qty}${sku}${pathParameters.id}` };',
    '};',
  ].join('\n');
  const model = buildHandler('/w/h.mjs', src);
  const [entry] = handlerEntries(model, ['handler']);
  const parts = requestFields(entry);
  assert.deepEqual(parts.map((p) => [p.part, p.access, p.shape, p.fields.map((f) => `${f.name}${f.optional ? '?' : ''}:${f.type}`)]), [
    ['body', 'body', 'json', ['title:string', 'tags?:unknown', 'qty:unknown', 'sku-code:string']],
    ['path', 'pathParameters', 'object', ['id:string']],
  ]);
});

test('packages: the nearest package.json decides, is a dependency of the result, and an edit to it refreshes the fix', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'faaslint-guard-'));
  try {
    fs.mkdirSync(path.join(dir, 'src'));
    fs.writeFileSync(path.join(dir, 'serverless.yml'), 'service: s\nprovider:\n  name: aws\n  runtime: nodejs24.x\nfunctions:\n  get:\n    handler: src/get.handler\n    events:\n      - httpApi:\n          method: GET\n          path: /things/{id}\n');
    fs.writeFileSync(path.join(dir, 'src', 'get.mjs'), 'export const handler = async (event) => ({ statusCode: 200, body: event.pathParameters.id });\n');
    const manifest = path.join(dir, 'package.json');
    fs.writeFileSync(manifest, JSON.stringify({ name: 's', dependencies: { '@aws-sdk/client-s3': '^3.0.0' } }));
    const engine = new Engine();
    const template = path.join(dir, 'serverless.yml');
    const title = () => engine.lintFile(template).findings.find((f) => f.ruleId === RULE)?.fixes[0]?.title ?? '';
    assert.match(title(), /typeof checks/);
    assert.ok(engine.lintFile(template).dependsOn.includes(manifest));
    assert.ok(engine.dependentsOf(manifest).includes(template));
    engine.docs.setOverlay(manifest, JSON.stringify({ name: 's', devDependencies: { zod: '^4.0.0' } }), 1);
    assert.match(title(), /\(zod\)/);
    engine.docs.setOverlay(manifest, '{ not json', 2);
    assert.match(title(), /typeof checks/, 'a broken package.json is no dependency list');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  assert.deepEqual([...parseDependencies('{"dependencies":{"a":"1"},"peerDependencies":{"b":"2"},"devDependencies":[]}')!], ['a', 'b']);
  assert.equal(parseDependencies('[1]'), undefined);
});
