// The taint prefilter (rules/taint/prefilter.ts) skips entries that reach no sink. It must never
// skip an entry the interpreter finds a flow in: for every entry of every handler fixture (and the
// example project), an entry it skips has no flows when interpreted anyway. And it does skip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Engine, audit } from '../server/src/engine/index';
import { defineRule } from '../rules/api';
import { handlerEntries } from '../rules/taint/sources';
import { Analyzer } from '../rules/taint/propagate';
import { sourceLabel } from '../rules/taint/sources';
import { mayReachSink } from '../rules/taint/prefilter';
import { listDir, stripWithMap, isFixtureSource } from './support/lint-dir';

const ROOT = path.join(import.meta.dirname, '..');
const HANDLER = /\.(js|mjs|cjs|ts|mts|tsx|jsx)$/;

interface Tally { entries: number; skipped: number; withFlows: number; wrong: string[] }

/** A rule that, for each handler, interprets every entry and compares with the prefilter. */
function probe(t: Tally) {
  return defineRule({
    meta: { id: 'test-prefilter', description: 'Disallow nothing.', category: 'config', severity: 'info', targets: ['handler'], cwe: [], sas: 'SAS-11', references: [], messages: {} },
    check(ctx) {
      if (ctx.input.target !== 'handler') return;
      const model = ctx.input.handler;
      const linked = ctx.workspace.functionsFor(model).map((l) => l.exportName);
      // Linked exports as the rules see them, and every export that looks like a handler.
      const entries = [...handlerEntries(model, linked), ...handlerEntries(model, [])];
      for (const entry of entries) {
        const hits = new Analyzer(ctx.workspace).runEntry(model, entry.fn, { labels: [sourceLabel(model.uri, entry)] })
          .filter((h) => h.label.origin.kind === 'source');
        const may = mayReachSink(model, entry.fn);
        t.entries++;
        if (!may) t.skipped++;
        if (hits.length) t.withFlows++;
        if (!may && hits.length) t.wrong.push(`${ctx.uri}#${entry.exportName}: ${hits[0].sink.kind}`);
      }
    },
  });
}

function copyTree(from: string, files: string[], to: string): void {
  for (const rel of files) {
    fs.mkdirSync(path.dirname(path.join(to, rel)), { recursive: true });
    fs.writeFileSync(path.join(to, rel), stripWithMap(fs.readFileSync(path.join(from, rel), 'utf8')).linted);
  }
}

test('the prefilter never skips an entry the interpreter finds a flow in', () => {
  const t: Tally = { entries: 0, skipped: 0, withFlows: 0, wrong: [] };
  const dirs = fs.readdirSync(path.join(ROOT, 'rules')).map((r) => path.join(ROOT, 'rules', r, 'fixtures')).filter((d) => fs.existsSync(d));
  dirs.push(path.join(ROOT, 'examples'));
  for (const dir of dirs) {
    const files = listDir(dir).filter(isFixtureSource);
    if (!files.some((f) => HANDLER.test(f))) continue;
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'faaslint-prefilter-'));
    try {
      copyTree(dir, files, tmp);
      [...audit(new Engine({ rules: [probe(t)] }), [tmp])];
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }
  assert.deepEqual(t.wrong, []);
  assert.ok(t.withFlows > 40, `entries with flows: ${t.withFlows}`);
  assert.ok(t.skipped > 20, `entries skipped: ${t.skipped} of ${t.entries}`);
});

test('the prefilter keeps entries whose sink is a field, a header or a local module away', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'faaslint-prefilter-'));
  try {
    fs.mkdirSync(path.join(tmp, 'lib'));
    fs.writeFileSync(path.join(tmp, 'lib', 'run.js'), "const { exec } = require('child_process');\nexports.run = (cmd) => exec(cmd);\n");
    fs.writeFileSync(path.join(tmp, 'app.js'), [
      "const { DynamoDBDocumentClient, PutCommand, ScanCommand } = require('@aws-sdk/lib-dynamodb');",
      "const { run } = require('./lib/run');",
      'const ddb = DynamoDBDocumentClient.from({});',
      "const redirectTo = (url) => ({ statusCode: 302, headers: { Location: url } });",
      // Put with a plain item: no expression field, nothing to inject.
      "exports.put = async (event) => { await ddb.send(new PutCommand({ TableName: 't', Item: { id: event.body } })); return { statusCode: 201 }; };",
      // Scan with a filter built from input: a NoSQL sink.
      "exports.scan = async (event) => ddb.send(new ScanCommand({ TableName: 't', FilterExpression: 'a = ' + event.body }));",
      // A redirect built in another top-level statement.
      'exports.go = async (event) => redirectTo(event.queryStringParameters.next);',
      // A shell in a local module.
      'exports.build = async (event) => run(event.body);',
      // A header key spelled with an escape.
      'exports.esc = async (event) => ({ statusCode: 302, "h\\x65aders": { Location: event.body } });',
      '',
    ].join('\n'));
    const decisions = new Map<string, boolean>();
    const rule = defineRule({
      meta: { id: 'test-prefilter', description: 'Disallow nothing.', category: 'config', severity: 'info', targets: ['handler'], cwe: [], sas: 'SAS-11', references: [], messages: {} },
      check(ctx) {
        if (ctx.input.target !== 'handler' || !ctx.uri.endsWith('app.js')) return;
        for (const e of handlerEntries(ctx.input.handler, [])) decisions.set(e.exportName, mayReachSink(ctx.input.handler, e.fn));
      },
    });
    [...audit(new Engine({ rules: [rule] }), [tmp])];
    assert.deepEqual(Object.fromEntries(decisions), { put: false, scan: true, go: true, build: true, esc: true });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
