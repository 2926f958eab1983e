// An open buffer's next version is parsed incrementally from the last one (rules/handler/reparse.ts)
// and keeps the taint results of entries the edit cannot affect (rules/taint/reuse.ts). Under
// random edits of every handler fixture, including ones that break the syntax, the editor's engine
// reports exactly what a fresh engine reading the same text from disk reports, and the parser
// does carry untouched statements over (the test would pass vacuously otherwise).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Engine, audit, type FileResult } from '../server/src/engine/index';
import { listDir, stripWithMap, isFixtureSource, FIXTURE_DATE } from './support/lint-dir';
import { prng } from '../scripts/bench/gen';
import { textChange } from '../rules/handler/reparse';

const RULES = path.join(import.meta.dirname, '..', 'rules');
const HANDLER = /\.(js|mjs|cjs|ts|mts|tsx|jsx)$/;
const PIECES = ['x', ' ', '\n', '{', '}', '(', ')', "'", '`', '"', '/*', '*/', '//', ';', 'event.body', 'exec(', '${', 'const a = ', 'return '];

function edit(text: string, r: () => number, history: string[]): string {
  const at = Math.floor(r() * (text.length + 1));
  switch (Math.floor(r() * 5)) {
    case 0: return text.slice(0, at) + PIECES[Math.floor(r() * PIECES.length)] + text.slice(at);
    case 1: return text.slice(0, at) + text.slice(at + 1 + Math.floor(r() * 12));
    case 2: {
      const lines = text.split('\n');
      const i = Math.floor(r() * lines.length);
      lines.splice(i, 0, lines[i]);
      return lines.join('\n');
    }
    case 3: return history[Math.floor(r() * history.length)];
    default: {
      // Type a word one character at a time, as an editor sends it.
      return text.slice(0, at) + 'abc'.slice(0, 1 + Math.floor(r() * 3)) + text.slice(at);
    }
  }
}

// Findings must be identical. Syntax errors only as far as whether there are any: on broken code
// TypeScript's incremental parser can word (and place) its recovery messages differently.
const comparable = (r: FileResult) => JSON.stringify({ findings: r.findings, broken: r.problems.length > 0 });

function fixtureDirs(): string[] {
  const out: string[] = [];
  for (const rule of fs.readdirSync(RULES)) {
    const dir = path.join(RULES, rule, 'fixtures');
    if (!fs.existsSync(dir)) continue;
    const handlerDirs = new Set(listDir(dir).filter((f) => HANDLER.test(f) && isFixtureSource(f)).map((f) => f.split('/')[0]));
    if (handlerDirs.size) out.push(dir);
  }
  return out;
}

test('incremental re-parse of edited buffers gives the same findings as a full parse', () => {
  let steps = 0;
  let reusedSteps = 0;
  let compared = 0;
  for (const dir of fixtureDirs()) {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'faaslint-incr-'));
    // The reference reads each version from disk in a copy of the tree: nothing of the editor's
    // engine (trees, stored taint results, keyed by file) can reach it.
    const ref = fs.mkdtempSync(path.join(os.tmpdir(), 'faaslint-incr-ref-'));
    try {
      const rels = listDir(dir).filter(isFixtureSource);
      for (const root of [tmp, ref]) {
        for (const rel of rels) {
          fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
          fs.writeFileSync(path.join(root, rel), stripWithMap(fs.readFileSync(path.join(dir, rel), 'utf8')).linted);
        }
      }
      const incremental = new Engine({ now: FIXTURE_DATE });
      const fresh = new Engine({ now: FIXTURE_DATE });
      // Index the templates, so handlers link as in the editor.
      [...audit(incremental, [tmp])];
      [...audit(fresh, [ref])];
      for (const rel of rels.filter((f) => HANDLER.test(f))) {
        const file = path.join(tmp, rel);
        const r = prng(rel.length * 7919 + dir.length);
        let text = fs.readFileSync(file, 'utf8');
        const history = [text];
        let prevSf: unknown;
        for (let v = 1; v <= 14; v++) {
          text = edit(text, r, history);
          history.push(text);
          incremental.docs.setOverlay(file, text, v);
          const got = incremental.lintFile(file);
          const refFile = path.join(ref, rel);
          fs.writeFileSync(refFile, text);
          fresh.docs.forget(refFile);
          const want = fresh.lintFile(refFile);
          assert.equal(comparable(got), comparable(want).replaceAll(ref, tmp), `${path.relative(RULES, dir)}/${rel} after edit ${v}`);
          compared += want.findings.length;
          steps++;
          const loaded = incremental.docs.load(file);
          const model = loaded.ok && loaded.doc.model.kind === 'handler' ? loaded.doc.model.handler : undefined;
          if (model && prevSf && (prevSf as { statements: unknown[] }).statements.some((s) => model.sf.statements.includes(s as never))) reusedSteps++;
          prevSf = model?.sf;
        }
      }
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
      fs.rmSync(ref, { recursive: true, force: true });
    }
  }
  assert.ok(steps > 300, `edit steps: ${steps}`);
  assert.ok(compared > 100, `findings compared: ${compared}`);
  // Most steps reuse statements of the version before (a few replace the whole text).
  assert.ok(reusedSteps > steps / 2, `steps that reused statements: ${reusedSteps} of ${steps}`);
});

test('textChange finds the edited span between two versions', () => {
  assert.deepEqual(textChange('abcdef', 'abXdef'), { start: 2, oldEnd: 3, newEnd: 3 });
  assert.deepEqual(textChange('aaaa', 'aaaaa'), { start: 4, oldEnd: 4, newEnd: 5 });
  assert.deepEqual(textChange('abc', ''), { start: 0, oldEnd: 3, newEnd: 0 });
  assert.deepEqual(textChange('same', 'same'), { start: 4, oldEnd: 4, newEnd: 4 });
});

test('an edit elsewhere that declares a name an entry uses is seen by that entry', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'faaslint-incr-names-'));
  try {
    fs.writeFileSync(path.join(tmp, 'serverless.yml'), 'service: s\nprovider:\n  name: aws\n  runtime: nodejs20.x\nfunctions:\n  a:\n    handler: app.a\n  b:\n    handler: app.b\n');
    const v1 = [
      "const { exec } = require('child_process');",
      'exports.a = async (event) => { run(event.body); return { statusCode: 200 }; };',
      "exports.b = async (event) => { exec('ls ' + event.body); return { statusCode: 200 }; };",
      '',
    ].join('\n');
    const file = path.join(tmp, 'app.js');
    fs.writeFileSync(file, v1);
    const engine = new Engine({ now: FIXTURE_DATE });
    [...audit(engine, [tmp])];
    const execFindings = (text: string, version: number) => {
      engine.docs.setOverlay(file, text, version);
      return engine.lintFile(file).findings.filter((f) => f.ruleId === 'handler-no-exec-with-event-input').map((f) => text.slice(f.start, f.end));
    };
    assert.deepEqual(execFindings(v1, 1), ["exec('ls ' + event.body)"]);
    // `run` was a global; now it is a local function that runs a shell.
    const v2 = v1 + 'function run(cmd) { exec(cmd); }\n';
    assert.deepEqual(execFindings(v2, 2).sort(), ["exec('ls ' + event.body)", 'exec(cmd)']);
    // And it goes away when the function stops using the shell, while b's finding moves with its line.
    const v3 = '// a comment line\n' + v1 + 'function run(cmd) { console.log(cmd); }\n';
    assert.deepEqual(execFindings(v3, 3), ["exec('ls ' + event.body)"]);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test('uncommenting a declaration, or adding an import an entry never names, is seen by the entries it affects', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'faaslint-incr-decl-'));
  try {
    fs.writeFileSync(path.join(tmp, 'serverless.yml'), 'service: s\nprovider:\n  name: aws\n  runtime: nodejs20.x\nfunctions:\n  a:\n    handler: app.a\n  b:\n    handler: app.b\n');
    const file = path.join(tmp, 'app.js');
    const ruleIds = (engine: Engine, text: string, version: number) => {
      engine.docs.setOverlay(file, text, version);
      return engine.lintFile(file).findings.map((f) => `${f.ruleId} ${text.slice(f.start, f.end)}`).filter((x) => x.startsWith('handler-')).sort();
    };
    const commented = [
      "const { exec } = require('child_process');",
      "exports.a = async (event) => { exec('ls'); run(event.body); return { statusCode: 200 }; };",
      '// function run(c) { exec(c); }',
      'exports.b = async (event) => ({ statusCode: 200 });',
      '',
    ].join('\n');
    fs.writeFileSync(file, commented);
    let engine = new Engine({ now: FIXTURE_DATE });
    [...audit(engine, [tmp])];
    assert.deepEqual(ruleIds(engine, commented, 1), []);
    // Only the `//` goes: the edit ends before the declaration's first token.
    assert.deepEqual(ruleIds(engine, commented.replace('// function', ' function'), 2), ['handler-no-exec-with-event-input exec(c)']);

    // Whether `users.find` is a Mongo query depends on the module importing mongodb.
    const query = [
      "const { exec } = require('child_process');",
      "exports.a = async (event) => { exec('ls'); const r = await users.find(JSON.parse(event.body)); return { statusCode: 200, body: JSON.stringify(r) }; };",
      'exports.b = async (event) => ({ statusCode: 200 });',
      '',
    ].join('\n');
    engine = new Engine({ now: FIXTURE_DATE });
    fs.writeFileSync(file, query);
    [...audit(engine, [tmp])];
    assert.deepEqual(ruleIds(engine, query, 1), []);
    const withMongo = query + "const mongodb = require('mongodb');\n";
    assert.deepEqual(ruleIds(engine, withMongo, 2), ['handler-no-nosql-injection users.find(JSON.parse(event.body))']);
    assert.deepEqual(ruleIds(engine, query, 3), []);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
