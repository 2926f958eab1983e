// The fixes the fixture runner does not apply (it applies the preferred one): the SSM String
// parameter variant for SAM/CloudFormation. Each is applied alone, the files re-parsed and
// re-linted: the finding is gone, nothing new appears, the template still parses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { lintFixtureDir, lintTexts } from './support/lint-dir';
import { applyEdits } from '../server/src/engine/index';

const SAM = path.join(__dirname, '../rules/secrets-no-hardcoded/fixtures/sam');

function counts(findings: { ruleId: string }[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const f of findings) m.set(f.ruleId, (m.get(f.ruleId) ?? 0) + 1);
  return m;
}

test('SAM: every finding with a template reference offers the {{resolve:ssm:…}} variant second, and it works', () => {
  const files = lintFixtureDir(SAM);
  const texts = new Map(files.map((f) => [f.rel, f.linted]));
  let applied = 0;
  for (const f of files) {
    const root = f.result.file.slice(0, f.result.file.length - f.rel.length);
    for (const finding of f.result.findings.filter((x) => x.ruleId === 'secrets-no-hardcoded')) {
      const variants = finding.fixes.filter((x) => x.edits.some((e) => e.newText.includes('{{resolve:ssm:')));
      const preferred = finding.fixes[0];
      if (!preferred?.edits.some((e) => e.newText.includes('{{resolve:secretsmanager:'))) {
        assert.equal(variants.length, 0, `${f.rel}: an SSM variant without a Secrets Manager one`);
        continue;
      }
      assert.equal(variants.length, 1, `${f.rel}:${finding.range.start.line + 1}: no SSM variant`);
      const fix = variants[0];
      assert.equal(finding.fixes.indexOf(fix), 1, 'the SSM variant comes second');
      assert.match(fix.title, /SSM String parameter .*SecureString/);
      assert.ok(!fix.edits.some((e) => e.newText.includes('ssm-secure')), 'ssm-secure does not resolve in Lambda environment variables');
      assert.ok(fix.edits.some((e) => /\{\{resolve:ssm:\/[\w-]+\/[\w-]+\}\}/.test(e.newText)));

      const next = new Map(texts);
      const byFile = new Map<string, typeof fix.edits>();
      for (const e of fix.edits) {
        const rel = e.file.slice(root.length);
        byFile.set(rel, [...(byFile.get(rel) ?? []), e]);
      }
      for (const [rel, edits] of byFile) next.set(rel, applyEdits(next.get(rel)!, edits));
      const after = lintTexts(next);
      for (const g of files) {
        const r = after.get(g.rel)!;
        assert.ok(r.problems.length <= g.result.problems.length, `${g.rel}: no longer parses after "${fix.title}"`);
        const before = counts(g.result.findings);
        const now = counts(r.findings);
        for (const [id, n] of now) {
          const expected = (before.get(id) ?? 0) - (g.rel === f.rel && id === 'secrets-no-hardcoded' ? 1 : 0);
          assert.ok(n <= expected, `${g.rel}: ${n} ${id} finding(s) after "${fix.title}", expected at most ${expected}`);
        }
      }
      applied++;
    }
  }
  assert.ok(applied >= 3, `only ${applied} SSM variants applied`);
});

test('Serverless Framework: no SSM variant (its only reference is already ${ssm:…})', () => {
  const files = lintFixtureDir(path.join(__dirname, '../rules/secrets-no-hardcoded/fixtures/serverless'));
  const fixes = files.flatMap((f) => f.result.findings.filter((x) => x.ruleId === 'secrets-no-hardcoded').flatMap((x) => x.fixes));
  assert.ok(fixes.length > 0);
  assert.ok(fixes.every((x) => !x.edits.some((e) => e.newText.includes('{{resolve:'))));
});
