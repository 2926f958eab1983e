// Exported handlers and imports, in every module style the engine must understand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildHandler } from '../rules/handler/build';

const exportsOf = (file: string, text: string) => {
  const m = buildHandler(file, text);
  return [...m.exports.values()].map((e) => [e.name, e.fn ? 'fn' : '-', e.wrapper ?? '']);
};

test('CommonJS exports', () => {
  assert.deepEqual(exportsOf('/w/a.js', 'exports.handler = async (event) => 1;'), [['handler', 'fn', '']]);
  assert.deepEqual(exportsOf('/w/a.js', 'module.exports.handler = function (e) {};'), [['handler', 'fn', '']]);
  assert.deepEqual(exportsOf('/w/a.js', 'async function main(e) {}\nmodule.exports = { handler: main, other };'), [['handler', 'fn', ''], ['other', '-', '']]);
  assert.deepEqual(exportsOf('/w/a.js', 'module.exports = async (e) => {};'), [['default', 'fn', '']]);
});

test('ESM exports', () => {
  assert.deepEqual(exportsOf('/w/a.mjs', 'export const handler = async (event) => {};'), [['handler', 'fn', '']]);
  assert.deepEqual(exportsOf('/w/a.ts', 'export async function handler(event: unknown) {}'), [['handler', 'fn', '']]);
  assert.deepEqual(exportsOf('/w/a.ts', 'export default async function (event) {}'), [['default', 'fn', '']]);
  assert.deepEqual(exportsOf('/w/a.ts', 'const main = async () => {};\nexport { main as handler };'), [['handler', 'fn', '']]);
});

test('wrapped handlers: middy and serverless-http', () => {
  assert.deepEqual(exportsOf('/w/a.js', "import middy from '@middy/core';\nconst base = async (event) => {};\nexport const handler = middy(base).use(jsonBodyParser());"), [['handler', 'fn', 'middy']]);
  assert.deepEqual(exportsOf('/w/a.js', "const serverless = require('serverless-http');\nconst app = express();\nmodule.exports.handler = serverless(app);"), [['handler', '-', 'serverless-http']]);
});

test('imports: ESM, require, destructuring', () => {
  const m = buildHandler('/w/a.ts', "import { S3Client as S3 } from '@aws-sdk/client-s3';\nimport * as db from './db';\nconst { exec } = require('child_process');\nconst fs = require('fs').promises;");
  assert.deepEqual(m.imports.map((i) => [i.specifier, [...i.names]]), [
    ['@aws-sdk/client-s3', [['S3', 'S3Client']]],
    ['./db', [['db', '*']]],
    ['child_process', [['exec', 'exec']]],
    ['fs', [['fs', '*']]],
  ]);
});

test('half-typed code yields parse problems, not a crash', () => {
  const m = buildHandler('/w/a.ts', 'export const handler = async (event) => {\n  const x = event.body.\n');
  assert.ok(m.problems.length > 0);
  assert.deepEqual([...m.exports.keys()], ['handler']);
});
