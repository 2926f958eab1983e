// One runner for every rules/*/fixtures/ directory. Markers under code lines are the expected
// findings (exact both ways); `<name>.fixed.<ext>` is the file after the preferred fixes, which
// must parse and re-lint without the fixed findings and without new ones.
// FAASLINT_UPDATE=1 rewrites markers, .expected and .fixed files from actual output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parseMarkers, parseExpected, formatExpected, writeMarkers, commentToken, fixedPath, type Marker } from './support/markers';
import { lintFixtureDir, applyPreferredFixes, lintTexts, listDir, type LintedFile } from './support/lint-dir';
import { rules } from '../rules/index';

const ROOT = path.resolve(__dirname, '..');
const UPDATE = !!process.env.FAASLINT_UPDATE;

function fixtureDirs(): string[] {
  const rulesDir = path.join(ROOT, 'rules');
  return fs.readdirSync(rulesDir)
    .map((d) => path.join(rulesDir, d, 'fixtures'))
    .filter((d) => fs.existsSync(d));
}

function actualMarkers(f: LintedFile): Marker[] {
  return f.result.findings.map((x) => {
    const line = f.lineMap[x.range.start.line] ?? x.range.start.line;
    const sameLine = x.range.end.line === x.range.start.line;
    const lineText = f.linted.split('\n')[x.range.start.line].replace(/\r$/, '');
    const endCol = sameLine ? x.range.end.character : lineText.trimEnd().length;
    return { line, col: x.range.start.character, endCol: Math.max(endCol, x.range.start.character + 1), ruleId: x.ruleId, message: x.message, todo: false };
  });
}

function sameMarker(a: Marker, b: Marker, token: string | undefined): boolean {
  const colOk = a.col === b.col || (token !== undefined && Math.min(a.col, b.col) <= token.length && Math.max(a.col, b.col) === token.length);
  return a.line === b.line && colOk && a.endCol === b.endCol && a.ruleId === b.ruleId;
}

function describe(m: Marker): string {
  return `${m.line + 1}:${m.col + 1}-${m.endCol + 1} ${m.ruleId}${m.message ? `: ${m.message}` : ''}`;
}

test('every rule has fixtures with positives and negatives', () => {
  for (const r of rules) {
    const dir = path.join(ROOT, 'rules', r.meta.id, 'fixtures');
    assert.ok(fs.existsSync(dir), `${r.meta.id}: missing fixtures/`);
  }
});

for (const dir of fixtureDirs()) {
  const ruleDir = path.basename(path.dirname(dir));
  test(`fixtures: ${ruleDir}`, () => {
    const files = lintFixtureDir(dir);
    let positives = 0;
    for (const f of files) {
      const abs = path.join(dir, f.rel);
      const token = commentToken(f.rel);
      const expectedFile = abs + '.expected';
      const actual = actualMarkers(f);
      if (UPDATE) {
        if (token) {
          const next = writeMarkers(f.original, f.rel, actual);
          if (next !== f.original) fs.writeFileSync(abs, next);
        } else if (actual.length || fs.existsSync(expectedFile)) {
          const todos = fs.existsSync(expectedFile) ? parseExpected(fs.readFileSync(expectedFile, 'utf8')).filter((m) => m.todo) : [];
          fs.writeFileSync(expectedFile, formatExpected([...actual, ...todos]));
        }
        continue;
      }
      const expected = token ? parseMarkers(f.original) : fs.existsSync(expectedFile) ? parseExpected(fs.readFileSync(expectedFile, 'utf8')) : [];
      const unmatched = [...actual];
      const missing: Marker[] = [];
      const promoted: Marker[] = [];
      for (const e of expected) {
        const i = unmatched.findIndex((a) => sameMarker(a, e, token));
        if (e.todo) {
          if (i !== -1) promoted.push(unmatched.splice(i, 1)[0]);
          continue;
        }
        if (i === -1) { missing.push(e); continue; }
        const a = unmatched.splice(i, 1)[0];
        positives++;
        if (e.message) {
          const ok = e.message.endsWith('…') ? a.message!.startsWith(e.message.slice(0, -1)) : a.message === e.message;
          assert.ok(ok, `${f.rel}:${e.line + 1}: message differs\n  expected: ${e.message}\n  actual:   ${a.message}`);
        }
      }
      assert.deepEqual(
        { missing: missing.map(describe), unexpected: unmatched.map(describe), promotedTodos: promoted.map(describe) },
        { missing: [], unexpected: [], promotedTodos: [] },
        `${path.relative(ROOT, abs)}: findings differ from markers (FAASLINT_UPDATE=1 npm run test:update rewrites them)`,
      );
      for (const finding of f.result.findings) {
        assert.ok(!/rule .* failed/.test(finding.message), finding.message);
      }
      assert.deepEqual(f.result.problems.filter((p) => p.message.startsWith('faaslint: rule')), [], `${f.rel}: a rule crashed`);
    }

    // Fixes: the preferred fixes, applied, give the .fixed files; re-linted, fixed findings are gone.
    const fixed = applyPreferredFixes(files);
    const fixedFiles = new Set(listDir(dir).filter((r) => /\.fixed(\.[^./]+)?$/.test(r)));
    for (const [rel, text] of fixed) {
      const fp = fixedPath(path.join(dir, rel));
      fixedFiles.delete(path.relative(dir, fp));
      if (UPDATE) { fs.writeFileSync(fp, text); continue; }
      assert.ok(fs.existsSync(fp), `${path.relative(ROOT, fp)} is missing (npm run test:update writes it)`);
      assert.equal(text, fs.readFileSync(fp, 'utf8'), `${path.relative(ROOT, fp)} differs from the fixed output`);
    }
    for (const stale of fixedFiles) {
      if (UPDATE) fs.rmSync(path.join(dir, stale));
      else assert.fail(`${stale}: no finding in its source has a fix any more`);
    }
    if (fixed.size && !UPDATE) {
      const texts = new Map(files.map((f) => [f.rel, fixed.get(f.rel) ?? f.linted]));
      const after = lintTexts(texts);
      for (const f of files) {
        if (!fixed.has(f.rel)) continue;
        const r = after.get(f.rel)!;
        assert.ok(r.problems.length <= f.result.problems.length, `${f.rel}: the fixed file no longer parses: ${r.problems.map((p) => p.message).join('; ')}`);
        const unfixed = f.result.findings.filter((x) => !x.fixes.length).map((x) => x.ruleId).sort();
        const now = r.findings.map((x) => x.ruleId).sort();
        // Fixes in other files (e.g. a template edit for a code fix) may also remove findings here.
        for (const id of new Set(now)) {
          const n = now.filter((x) => x === id).length;
          const before = f.result.findings.filter((x) => x.ruleId === id).length;
          const allowed = unfixed.filter((x) => x === id).length;
          assert.ok(n <= allowed || (n < before && n <= allowed), `${f.rel}: after fixes ${n} ${id} finding(s) remain (expected at most ${allowed}): ${r.findings.filter((x) => x.ruleId === id).map((x) => `${x.range.start.line + 1}: ${x.message}`).join('; ')}`);
        }
      }
    }
    if (!UPDATE) assert.ok(positives > 0, `${ruleDir}: fixtures have no positive case`);
  });
}
