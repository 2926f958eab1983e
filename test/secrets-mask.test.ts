// Never leak: no message shows more than the first 4 characters of a secret.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { lintFixtureDir } from './support/lint-dir';
import { maskSecret } from '../rules/secrets/mask';

test('maskSecret keeps at most 4 leading characters and the length', () => {
  assert.equal(maskSecret('AKIAUJZDEGXDNCF32EPF'), 'AKIA********… (20 chars)');
  assert.equal(maskSecret('hunter2!'), 'h*******… (8 chars)');
  assert.equal(maskSecret('abc'), '***');
});

test('finding messages on the secrets fixtures never contain more than 4 characters of a secret', () => {
  const files = lintFixtureDir(path.join(__dirname, '../rules/secrets-no-hardcoded/fixtures'));
  let checked = 0;
  for (const f of files) {
    for (const finding of f.result.findings.filter((x) => x.ruleId === 'secrets-no-hardcoded')) {
      const secret = f.linted.slice(finding.start, finding.end);
      assert.ok(secret.length > 8);
      for (let i = 0; i + 5 <= secret.length; i++) {
        const piece = secret.slice(i, i + 5);
        if (/^[a-z.:/-]+$/.test(piece)) continue; // words of a URL (`slack`, `hooks`) are not the secret
        const texts = [finding.message, ...finding.fixes.map((x) => x.title)];
        for (const t of texts) assert.ok(!t.includes(piece), `${f.rel}: "${t}" leaks "${piece}"`);
      }
      checked++;
    }
  }
  assert.ok(checked >= 15, `only ${checked} findings checked`);
});
