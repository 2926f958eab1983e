// The negative corpus: realistic non-secret values under the names they are stored under, in a
// template environment, a .env file and handler code. faaslint must report none of them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { lintTexts } from './support/lint-dir';

const corpus = parse(fs.readFileSync(path.join(__dirname, '../rules/secrets-no-hardcoded/negatives/values.yaml'), 'utf8')) as Record<string, { names: string[]; values: string[] }>;
const envName = (n: string) => n.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();

test('the negative corpus has at least 300 values', () => {
  const n = Object.values(corpus).reduce((a, c) => a + c.values.length, 0);
  assert.ok(n >= 300, `only ${n} values`);
});

for (const [kind, { names, values }] of Object.entries(corpus)) {
  test(`no finding on ${kind} values (${values.length} values × ${names.length} names)`, () => {
    const env: string[] = [];
    const dotenv: string[] = [];
    const code: string[] = [];
    let i = 0;
    for (const value of values) {
      for (const name of names) {
        const key = `${envName(name)}_${i++}`;
        env.push(`    ${key}: ${JSON.stringify(value)}`);
        dotenv.push(`${key}=${value}`);
        code.push(`const ${name.replace(/\W/g, '_')}_${i} = ${JSON.stringify(value)};`, `config.${name.replace(/\W/g, '_')} = ${JSON.stringify(value)};`);
      }
    }
    const files = new Map([
      ['serverless.yml', `service: corpus\nprovider:\n  name: aws\n  runtime: nodejs20.x\n  environment:\n${env.join('\n')}\nfunctions:\n  f:\n    handler: handler.main\n`],
      ['.env', dotenv.join('\n') + '\n'],
      ['handler.js', `const config = {};\n${code.join('\n')}\nexports.main = async () => config;\n`],
    ]);
    const results = lintTexts(files);
    const reported = [...results.values()].flatMap((r) => r.findings.filter((f) => f.ruleId === 'secrets-no-hardcoded').map((f) => `${path.basename(r.file)}:${f.range.start.line + 1}: ${f.message}`));
    assert.equal(results.size, 3, 'all three files were linted');
    assert.deepEqual(reported, []);
  });
}
