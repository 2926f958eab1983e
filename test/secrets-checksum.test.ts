// Checksummed tokens: a GitHub/npm token whose CRC32 checksum is right is reported as certain; the
// same token with any one character changed is a fake and is not reported. Tokens are generated
// here from random bytes with Node's own CRC32 (independent of the rule's), never real ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { lintTexts } from './support/lint-dir';
import { crc32, prefixedTokenChecksumOk, fineGrainedTokenStructureOk, isChecksumFailingToken } from '../rules/secrets/checksum';
import { matchFormats } from '../rules/secrets/formats';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function randomBase62(n: number): string {
  let out = '';
  while (out.length < n) for (const b of crypto.randomBytes(n)) if (b < 248 && out.length < n) out += ALPHABET[b % 62];
  return out;
}

/** Base62 by BigInt division: a second implementation, so the test does not check the rule against itself. */
function b62(n: number): string {
  let v = BigInt(n);
  const digits: string[] = [];
  while (v > 0n) {
    digits.unshift(ALPHABET[Number(v % 62n)]);
    v /= 62n;
  }
  return digits.join('').padStart(6, '0');
}

function token(prefix: string): string {
  const random = randomBase62(30);
  return `${prefix}_${random}${b62(zlib.crc32(random))}`;
}

/** `t` with the character at `i` replaced by another one of the alphabet. */
function flip(t: string, i: number): string {
  const c = t[i];
  const other = ALPHABET[(ALPHABET.indexOf(c) + 1 + crypto.randomInt(61)) % 62];
  return t.slice(0, i) + other + t.slice(i + 1);
}

test('crc32 agrees with zlib on random strings and the standard check value', () => {
  assert.equal(crc32('123456789'), 0xcbf43926);
  for (let i = 0; i < 200; i++) {
    const s = randomBase62(1 + crypto.randomInt(60));
    assert.equal(crc32(s), zlib.crc32(s), s.slice(0, 4));
  }
});

test('a generated token has a valid checksum; any one changed character breaks it', () => {
  for (const prefix of ['ghp', 'gho', 'ghu', 'ghs', 'ghr', 'npm']) {
    const t = token(prefix);
    assert.ok(prefixedTokenChecksumOk(t), `${prefix}: generated token rejected`);
    assert.equal(matchFormats(t).length, 1);
    const first = prefix.length + 1;
    for (let i = first; i < t.length; i++) {
      const f = flip(t, i);
      assert.ok(!prefixedTokenChecksumOk(f), `${prefix}: flip at ${i} still valid`);
      assert.ok(isChecksumFailingToken(f));
      assert.deepEqual(matchFormats(f), [], `${prefix}: flip at ${i} still matches a format`);
    }
  }
});

test('fine-grained tokens: random parts pass the structure check, fillers do not', () => {
  const real = `github_pat_11${randomBase62(20)}_${randomBase62(59)}`;
  assert.ok(fineGrainedTokenStructureOk(real));
  assert.equal(matchFormats(real)[0]?.format.id, 'github-fine-grained-token');
  assert.ok(!fineGrainedTokenStructureOk(`github_pat_11${randomBase62(20)}_${'ab'.repeat(29)}c`));
  assert.ok(!fineGrainedTokenStructureOk(`github_pat_11${randomBase62(20)}_${randomBase62(58)}`)); // too short
  assert.ok(!fineGrainedTokenStructureOk(`github_pat_11${randomBase62(20)}_${randomBase62(59).toLowerCase()}`));
});

test('linted: valid tokens are errors, the same tokens with one character changed are not reported', () => {
  const valid: string[] = [];
  const flipped: string[] = [];
  for (const prefix of ['ghp', 'gho', 'ghu', 'ghs', 'ghr', 'npm']) {
    for (let k = 0; k < 3; k++) {
      const t = token(prefix);
      valid.push(t);
      // One flip in the random part and one in the checksum.
      flipped.push(flip(t, prefix.length + 1 + crypto.randomInt(30)), flip(t, t.length - 1 - crypto.randomInt(6)));
    }
  }
  // Under secret-like names too: the generic scoring must not take a fake back.
  const code = [
    ...valid.map((t, i) => `const githubToken${i} = '${t}';`),
    ...flipped.map((t, i) => `const fakeToken${i} = '${t}';`),
    'exports.handler = async () => ({});',
  ].join('\n');
  const env = [...valid.map((t, i) => `    GITHUB_TOKEN_${i}: ${t}`), ...flipped.map((t, i) => `    NPM_TOKEN_FAKE_${i}: ${t}`)].join('\n');
  const sls = `service: release\nprovider:\n  name: aws\n  runtime: nodejs22.x\n  environment:\n${env}\nfunctions:\n  publish:\n    handler: handler.handler\n`;
  const results = lintTexts(new Map([['handler.js', code], ['serverless.yml', sls]]));
  for (const file of ['handler.js', 'serverless.yml']) {
    const findings = results.get(file)!.findings.filter((f) => f.ruleId === 'secrets-no-hardcoded');
    const lines = findings.map((f) => f.range.start.line).sort((a, b) => a - b);
    const offset = file === 'handler.js' ? 0 : 5;
    assert.deepEqual(lines, valid.map((_, i) => i + offset), `${file}: exactly the valid tokens are reported`);
    for (const f of findings) {
      assert.equal(f.severity, 'error');
      assert.match(f.message, /Hardcoded (GitHub|npm access) token/);
    }
  }
});
