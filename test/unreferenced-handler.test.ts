// The "which templates govern this module" lookup behind function-no-unreferenced-handler: it
// records the templates (and the linked handlers that may import the module) as dependencies, so
// editing the template or an importer refreshes the module's findings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Engine } from '../server/src/engine/index';
import { rules as allRules } from '../rules/index';
import { makeTree } from './support/tree';

const rules = allRules.filter((r) => r.meta.id === 'function-no-unreferenced-handler');

const workspace = (files: Record<string, string>) => makeTree(files, 'faaslint-unref-');

const SLS = `service: shop
provider:
  name: aws
  runtime: nodejs24.x
functions:
  get:
    handler: src/get.handler
`;

test('an unlinked handler is reported, and linking it from the template clears the finding', () => {
  const dir = workspace({
    'serverless.yml': SLS,
    'src/get.js': 'exports.handler = async () => ({});\n',
    'src/old.js': 'exports.handler = async (event) => ({ id: event.id });\n',
  });
  try {
    const engine = new Engine({ rules });
    const template = path.join(dir, 'serverless.yml');
    const old = path.join(dir, 'src/old.js');
    engine.indexTemplate(template);
    const before = engine.lintFile(old);
    assert.deepEqual(before.findings.map((f) => `${f.ruleId} ${f.range.start.line + 1}`), ['function-no-unreferenced-handler 1']);
    assert.ok(before.dependsOn.includes(template), 'the template is a dependency of the module');
    assert.deepEqual(engine.lintFile(path.join(dir, 'src/get.js')).findings, []);

    engine.docs.setOverlay(template, SLS + '  old:\n    handler: src/old.handler\n', 2);
    engine.indexTemplate(template);
    assert.ok(engine.dependentsOf(template).includes(old), 'editing the template refreshes the module');
    assert.deepEqual(engine.lintFile(old).findings, []);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a module a linked handler imports is a library; no template, no finding', () => {
  const dir = workspace({
    'serverless.yml': SLS,
    'src/get.js': "const { handler: load } = require('./load');\nexports.handler = async (e) => load(e);\n",
    'src/load.js': 'exports.handler = async (event) => ({ id: event.id });\n',
    'other/lambda/index.js': 'exports.handler = async (event) => ({ id: event.id });\n',
  });
  try {
    const engine = new Engine({ rules });
    engine.indexTemplate(path.join(dir, 'serverless.yml'));
    const lib = engine.lintFile(path.join(dir, 'src/load.js'));
    assert.deepEqual(lib.findings, []);
    assert.ok(lib.dependsOn.includes(path.join(dir, 'src/get.js')), 'the importer is a dependency');
    // Outside the folder of the template's handlers: not governed.
    assert.deepEqual(engine.lintFile(path.join(dir, 'other/lambda/index.js')).findings, []);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
