// An open buffer's next version is parsed incrementally from the last one (rules/handler/reparse.ts).
// Under random edits of every handler fixture, including ones that break the syntax, the
// incremental engine reports exactly what a fresh parse of the same text reports, and the parser
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
    try {
      const rels = listDir(dir).filter(isFixtureSource);
      for (const rel of rels) {
        fs.mkdirSync(path.dirname(path.join(tmp, rel)), { recursive: true });
        fs.writeFileSync(path.join(tmp, rel), stripWithMap(fs.readFileSync(path.join(dir, rel), 'utf8')).linted);
      }
      const incremental = new Engine({ now: FIXTURE_DATE });
      const fresh = new Engine({ now: FIXTURE_DATE });
      // Index the templates, so handlers link as in the editor.
      [...audit(incremental, [tmp])];
      [...audit(fresh, [tmp])];
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
          fresh.docs.clearOverlay(file);
          fresh.docs.setOverlay(file, text, v);
          const want = fresh.lintFile(file);
          assert.equal(comparable(got), comparable(want), `${path.relative(RULES, dir)}/${rel} after edit ${v}`);
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
