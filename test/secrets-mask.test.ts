// Never leak: no message shows more than the first 4 characters of a secret.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { lintFixtureDir, type LintedFile } from './support/lint-dir';
import { maskSecret } from '../rules/secrets/mask';
import { runCli } from '../server/src/cli/run';

const FIXTURES = path.join(__dirname, '../rules/secrets-no-hardcoded/fixtures');

/**
 * Five-character pieces of the credential material of every reported span: its runs of token
 * characters. Identifiers a span may also cover (a pasted key file's `client_email`, `project_id`,
 * JSON keys) are lowercase words joined by `-`/`_`, and words of a URL are not the secret.
 */
function secretPieces(files: LintedFile[]): Set<string> {
  const pieces = new Set<string>();
  // Text outside the reported spans (names, paths, resource ids) may be printed: a piece that
  // also occurs there (`Repor` of a password `…-Reports#…` and of `ReportsFunction`) proves nothing.
  const elsewhere = files.map((f) => {
    let t = f.linted;
    for (const x of f.result.findings) if (x.ruleId === 'secrets-no-hardcoded') t = t.slice(0, x.start) + ' '.repeat(x.end - x.start) + t.slice(x.end);
    return t;
  }).join('\n') + files.map((f) => f.rel).join('\n');
  for (const f of files) {
    for (const finding of f.result.findings.filter((x) => x.ruleId === 'secrets-no-hardcoded')) {
      const span = f.linted.slice(finding.start, finding.end);
      for (const run of span.match(/[A-Za-z0-9+/=_!#-]{8,}/g) ?? []) {
        if (/^[a-z0-9]+(?:[-_.][a-z0-9]+)+$/.test(run)) continue;
        for (let i = 0; i + 5 <= run.length; i++) {
          const piece = run.slice(i, i + 5);
          if (!/^[a-z.:/-]+$/.test(piece) && !elsewhere.includes(piece)) pieces.add(piece);
        }
      }
    }
  }
  return pieces;
}

test('maskSecret keeps at most 4 leading characters and the length', () => {
  assert.equal(maskSecret('AKIAUJZDEGXDNCF32EPF'), 'AKIA********… (20 chars)');
  assert.equal(maskSecret('hunter2!'), 'h*******… (8 chars)');
  assert.equal(maskSecret('abc'), '***');
});

test('finding messages on the secrets fixtures never contain more than 4 characters of a secret', () => {
  const files = lintFixtureDir(FIXTURES);
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

test('key files: one masked finding per key, no fix, messages never quote the key', () => {
  const files = lintFixtureDir(path.join(FIXTURES, 'stored-key-files'));
  const byFile = (rel: string) => files.find((f) => f.rel === rel)!.result.findings.filter((x) => x.ruleId === 'secrets-no-hardcoded');
  const sa = byFile('keys/orders-reporting-7f3a2c.json');
  assert.equal(sa.length, 1);
  assert.match(sa[0].message, /^Google service-account key of project `orders-reporting-prod` \(private key `-{4}\*{8}… \(\d+ chars\)`\)/);
  assert.match(sa[0].message, /Delete this key/);
  assert.deepEqual(sa[0].fixes, []);
  const aws = byFile(path.join('.aws', 'credentials'));
  assert.equal(aws.length, 2);
  for (const f of aws) assert.match(f.message, /^AWS credentials file .*`[A-Za-z0-9]{4}\*{8}… \(\d+ chars\)`/);
  for (const quiet of ['keys/local-dev-sa.json', 'config/firebase-admin.json', 'config/apns.json', 'config/signing.json', 'package.json', 'tsconfig.json']) {
    assert.deepEqual(byFile(quiet), [], `${quiet} is not a secret`);
  }
  // The key in code and in a template: one finding each, on the key, not one per format.
  assert.equal(byFile('src/sheets.js').length, 1);
  assert.equal(byFile('template.yaml').length, 1);
});

test('CLI text, JSON and SARIF output never contain more than 4 characters of a secret', () => {
  const files = lintFixtureDir(FIXTURES);
  const pieces = secretPieces(files);
  assert.ok(pieces.size > 1000, `only ${pieces.size} pieces`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'faaslint-leak-'));
  try {
    for (const f of files) {
      fs.mkdirSync(path.dirname(path.join(tmp, f.rel)), { recursive: true });
      fs.writeFileSync(path.join(tmp, f.rel), f.linted);
    }
    for (const format of ['text', 'json', 'sarif']) {
      let out = '';
      const code = runCli(['--format', format, '--no-color', '.'], { stdout: { write: (s: string) => (out += s) }, stderr: { write: () => true }, cwd: tmp, env: {} });
      assert.equal(code, 1, `${format}: findings make the run fail`);
      // SARIF's rule descriptors quote the docs; the results are what carries findings.
      const text = format === 'sarif' ? JSON.stringify(JSON.parse(out).runs.map((r: { results: unknown }) => r.results)) : out;
      assert.match(text, /secrets-no-hardcoded/);
      const decoded = format === 'text' ? text : JSON.stringify(JSON.parse(text)); // escapes as the secrets were written
      for (const piece of pieces) {
        assert.ok(!text.includes(piece) && !decoded.includes(piece), `${format} output leaks "${piece}"`);
      }
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
