// The docs generator: rule pages from metadata + docs.md + fixtures, the index, the README table,
// determinism, and --check (lists stale files, writes nothing).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import type { RuleMeta } from '../rules/api';
import { rules } from '../rules/index';
import { planDocs, staleFiles, writeDocs } from '../scripts/docs/plan';
import { GENERATED_MARK, README_END, README_START } from '../scripts/docs/render';
import { unifiedDiff } from '../scripts/docs/diff';
import { makeTree } from './support/tree';

const REPO = path.resolve(__dirname, '..');
const dirs: string[] = [];
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function tree(files: Record<string, string>): string {
  const root = makeTree(files, 'faaslint-docs-');
  dirs.push(root);
  return root;
}

const SECRET: RuleMeta = {
  id: 'demo-no-secret', description: 'Disallow demo secrets in templates.', category: 'secrets', severity: 'error',
  targets: ['template'], fix: 'safe', cwe: ['CWE-798'], sas: 'SAS-07',
  references: ['https://example.com/secrets'], messages: {},
};
const OTHER: RuleMeta = {
  id: 'demo-iam-thing', description: 'Limit demo IAM things.', category: 'iam', severity: 'warning',
  targets: ['handler'], cwe: ['CWE-269', 'CWE-250'], sas: 'SAS-04', references: [], messages: {},
};

const FLAGGED_YML = `service: app
provider:
  environment:
    TOKEN: hunter2-demo
#          ^^^^^^^^^^^^ demo-no-secret: Hardcoded demo secret.
    OTHER: value
#          ^^^^^ other-rule: Not this rule's business.
    LATER: maybe
#          ^^^^^ todo demo-no-secret
    NAME: fine
`;
const FIXED_YML = `service: app
provider:
  environment:
    TOKEN: \${ssm:/app/token}
    OTHER: value
    LATER: maybe
    NAME: fine
`;
const QUIET_YML = `service: quiet
provider:
  environment:
    TOKEN: \${ssm:/quiet/token}
`;
const STACK_JSON = `{
  "Parameters": { "Token": { "Type": "String", "Default": "hunter2-demo" } }
}
`;
const README = `# faaslint\n\nIntro stays.\n\n${README_START}\nold table\n${README_END}\n\nOutro stays.\n`;

/** A scratch checkout; `null` for no README at all. */
function demoRoot(readme: string | null = README): string {
  return tree({
    ...(readme !== null ? { 'README.md': readme } : {}),
    'rules/demo-no-secret/docs.md': '# demo-no-secret\n\n## Why\n\nBecause secrets leak.\n\n## How to fix\n\nUse SSM.\n',
    'rules/demo-no-secret/fixtures/app/serverless.yml': FLAGGED_YML,
    'rules/demo-no-secret/fixtures/app/serverless.fixed.yml': FIXED_YML,
    'rules/demo-no-secret/fixtures/app/handler.js': 'exports.main = async () => 1;\n',
    'rules/demo-no-secret/fixtures/cfn/stack.json': STACK_JSON,
    'rules/demo-no-secret/fixtures/cfn/stack.json.expected': '2:59-73 demo-no-secret: Hardcoded demo secret.\n',
    'rules/demo-no-secret/fixtures/quiet/serverless.yml': QUIET_YML,
  });
}

test('a rule page: metadata, hand-written body, examples, fix diff, configuration, references', () => {
  const root = demoRoot();
  const page = planDocs(root, [SECRET, OTHER]).files.get('docs/rules/demo-no-secret.md');
  assert.ok(page);
  assert.ok(page.startsWith(GENERATED_MARK));
  assert.match(page, /^# demo-no-secret$/m);
  assert.match(page, /^Disallow demo secrets in templates\.$/m);
  assert.match(page, /\| Category \| Secrets \(`secrets`\) \|/);
  assert.match(page, /\| Default severity \| error \|/);
  assert.match(page, /\| Fixable \| yes: a safe fix/);
  assert.match(page, /\| Serverless risk \| SAS-07 \|/);
  assert.match(page, /\| CWE \| \[CWE-798\]\(https:\/\/cwe\.mitre\.org\/data\/definitions\/798\.html\) \|/);
  // The body, without its own `# title`.
  assert.match(page, /## Why\n\nBecause secrets leak\.\n\n## How to fix\n\nUse SSM\./);
  assert.equal(page.match(/^# [\w-]/gm)?.length, 1, 'one H1');

  const flaggedAt = page.indexOf('### Flagged');
  const quietAt = page.indexOf('### Not flagged');
  assert.ok(flaggedAt > 0 && quietAt > flaggedAt, 'flagged examples, then quiet ones');
  const flagged = page.slice(flaggedAt, quietAt);
  assert.match(flagged, /`app\/serverless\.yml`\n\n```yaml\n/);
  assert.ok(flagged.includes('    TOKEN: hunter2-demo\n#          ^^^^^^^^^^^^ demo-no-secret: Hardcoded demo secret.'), 'this rule\'s marker is kept under its line');
  assert.ok(!flagged.includes('other-rule'), "other rules' markers are dropped");
  assert.ok(!flagged.includes('todo demo-no-secret'), 'known misses are not shown as findings');
  assert.ok(flagged.includes('    LATER: maybe'), 'code lines stay');
  assert.match(flagged, /```diff\n@@ .* @@\n(?:.*\n)*-    TOKEN: hunter2-demo\n\+    TOKEN: \$\{ssm:\/app\/token\}\n/, 'the fix as a diff');
  assert.match(flagged, /`cfn\/stack\.json`\n\n```json\n/);
  assert.match(flagged, /- Line 2, column 59: Hardcoded demo secret\./, 'JSON findings listed under the code');
  assert.ok(!page.includes('handler.js'), 'files the rule does not read are not examples');
  assert.match(page.slice(quietAt), /`quiet\/serverless\.yml`\n\n```yaml\nservice: quiet/);

  assert.match(page, /```yaml\nrules:\n {2}demo-no-secret: warning/);
  assert.match(page, /faaslint-ignore demo-no-secret -- <reason>/);
  assert.match(page, /## References\n\n- <https:\/\/example\.com\/secrets>/);
});

test('a rule without docs.md or fixtures still gets a page that says so', () => {
  const plan = planDocs(demoRoot(), [SECRET, OTHER]);
  const page = plan.files.get('docs/rules/demo-iam-thing.md')!;
  assert.match(page, /no hand-written documentation yet/);
  assert.doesNotMatch(page, /## Examples/);
  assert.match(page, /\| Fixable \| no \|/);
  assert.match(page, /\[CWE-269\]\(https:\/\/cwe\.mitre\.org\/data\/definitions\/269\.html\), \[CWE-250\]/);
  assert.ok(plan.warnings.some((w) => w.includes('rules/demo-iam-thing/docs.md')));
});

test('the index groups rules by category in the documented order', () => {
  const index = planDocs(demoRoot(), [OTHER, SECRET]).files.get('docs/rules/README.md')!;
  assert.ok(index.indexOf('## Secrets') < index.indexOf('## IAM'), 'secrets before iam');
  assert.match(index, /\| \[`demo-no-secret`\]\(demo-no-secret\.md\) \| Disallow demo secrets in templates\. \| error \| safe \| SAS-07 \| CWE-798 \|/);
  assert.match(index, /\| \[`demo-iam-thing`\]\(demo-iam-thing\.md\) \| Limit demo IAM things\. \| warning \| — \| SAS-04 \| CWE-269, CWE-250 \|/);
});

test('the README table is replaced between the markers and nothing else changes', () => {
  const readme = planDocs(demoRoot(), [SECRET, OTHER]).files.get('README.md')!;
  assert.ok(readme.startsWith('# faaslint\n\nIntro stays.\n\n<!-- rules:start -->\n'));
  assert.ok(readme.endsWith('<!-- rules:end -->\n\nOutro stays.\n'));
  assert.doesNotMatch(readme, /old table/);
  const table = readme.slice(readme.indexOf(README_START) + README_START.length, readme.indexOf(README_END)).trim().split('\n');
  assert.deepEqual(table, [
    '| Rule | Category | Severity | SAS | CWE | Fixable |',
    '| --- | --- | --- | --- | --- | --- |',
    '| [`demo-iam-thing`](docs/rules/demo-iam-thing.md) | iam | warning | SAS-04 | CWE-269, CWE-250 | — |',
    '| [`demo-no-secret`](docs/rules/demo-no-secret.md) | secrets | error | SAS-07 | CWE-798 | safe |',
  ]);

  const crlf = planDocs(demoRoot(README.replace(/\n/g, '\r\n')), [SECRET]).files.get('README.md')!;
  assert.ok(!/[^\r]\n/.test(crlf), 'CRLF line endings are kept');
});

test('a README without the markers is an error, not a rewrite', () => {
  const plan = planDocs(demoRoot('# faaslint\n\nNo table here.\n'), [SECRET]);
  assert.equal(plan.files.has('README.md'), false);
  assert.match(plan.errors.join('\n'), /README\.md lacks the <!-- rules:start --> … <!-- rules:end --> markers/);
  assert.match(planDocs(demoRoot(null), [SECRET]).errors.join('\n'), /README\.md not found/);
});

test('output is deterministic and does not depend on registry order', () => {
  const root = demoRoot();
  const a = planDocs(root, [SECRET, OTHER]);
  const b = planDocs(root, [OTHER, SECRET]);
  assert.deepEqual([...a.files.keys()].sort(), [...b.files.keys()].sort());
  for (const [k, v] of a.files) assert.equal(b.files.get(k), v, k);
  assert.deepEqual(planDocs(root, [SECRET, OTHER]).files, a.files);
});

test('stale detection, writing, and removal of pages for rules that are gone', () => {
  const root = demoRoot();
  fs.mkdirSync(path.join(root, 'docs/rules'), { recursive: true });
  fs.writeFileSync(path.join(root, 'docs/rules/gone-rule.md'), `${GENERATED_MARK} from rules/gone-rule/. -->\n# gone-rule\n`);
  fs.writeFileSync(path.join(root, 'docs/rules/notes.md'), '# Hand-written notes\n');
  const plan = planDocs(root, [SECRET, OTHER]);
  assert.deepEqual(staleFiles(root, plan).sort(), [
    'README.md (out of date)',
    'docs/rules/README.md (missing)',
    'docs/rules/demo-iam-thing.md (missing)',
    'docs/rules/demo-no-secret.md (missing)',
    'docs/rules/gone-rule.md (no such rule any more)',
    'docs/sdk-coverage.md (missing)',
    'schemas/faaslint.schema.json (missing)',
  ]);
  writeDocs(root, plan);
  assert.deepEqual(staleFiles(root, planDocs(root, [SECRET, OTHER])), []);
  assert.equal(fs.existsSync(path.join(root, 'docs/rules/gone-rule.md')), false);
  assert.equal(fs.readFileSync(path.join(root, 'docs/rules/notes.md'), 'utf8'), '# Hand-written notes\n', 'hand-written files are left alone');

  fs.appendFileSync(path.join(root, 'docs/rules/demo-no-secret.md'), '\nhand edit\n');
  assert.deepEqual(staleFiles(root, planDocs(root, [SECRET, OTHER])), ['docs/rules/demo-no-secret.md (out of date)']);
  assert.deepEqual(writeDocs(root, planDocs(root, [SECRET, OTHER])), ['docs/rules/demo-no-secret.md'], 'only what changed is written');
});

test('unifiedDiff shows removed then added lines with context', () => {
  assert.equal(unifiedDiff('a\nb\nc', 'a\nb\nc'), '');
  assert.equal(unifiedDiff('a\nb\nc\nd', 'a\nB\nc\nd', 1), '@@ -1,3 +1,3 @@\n a\n-b\n+B\n c');
  const far = unifiedDiff(['x', ...Array(10).fill('='), 'y'].join('\n'), ['X', ...Array(10).fill('='), 'Y'].join('\n'), 1);
  assert.equal(far.split('\n').filter((l) => l.startsWith('@@')).length, 2, 'distant changes make separate hunks');
});

// The script itself, as `npm run docs` / `npm run docs:check` run it, on a scratch root.
function genDocs(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const loader = pathToFileURL(path.join(REPO, 'node_modules/tsx/dist/loader.mjs')).href;
  const r = spawnSync(process.execPath, ['--import', loader, path.join(REPO, 'scripts/gen-docs.ts'), ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('gen-docs --check exits 1 listing stale files and writes nothing; after generating, it passes', () => {
  const root = tree({ 'README.md': README });
  const stale = genDocs(['--check', '--root', root]);
  assert.equal(stale.code, 1, stale.stderr);
  assert.match(stale.stderr, /docs\/rules\/README\.md \(missing\)/);
  assert.match(stale.stderr, /README\.md \(out of date\)/);
  assert.equal(fs.existsSync(path.join(root, 'docs')), false, '--check writes nothing');
  assert.equal(fs.readFileSync(path.join(root, 'README.md'), 'utf8'), README);

  const write = genDocs(['--root', root]);
  assert.equal(write.code, 0, write.stderr);
  for (const r of rules) assert.ok(fs.existsSync(path.join(root, 'docs/rules', `${r.meta.id}.md`)), r.meta.id);
  const fresh = genDocs(['--check', '--root', root]);
  assert.equal(fresh.code, 0, fresh.stderr);
  assert.match(fresh.stdout, /up to date/);
});

test('gen-docs --check fails when README.md lacks the markers', () => {
  const root = tree({ 'README.md': '# faaslint\n' });
  genDocs(['--root', root]);
  const r = genDocs(['--check', '--root', root]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /README\.md lacks the <!-- rules:start -->/);
});

test('every registered rule has a hand-written docs.md', () => {
  assert.ok(rules.length > 0);
  const missing = rules.map((r) => r.meta.id).filter((id) => !fs.existsSync(path.join(REPO, 'rules', id, 'docs.md')));
  assert.deepEqual(missing, []);
});

test('long fixtures are shown as windows around the flagged lines', () => {
  const lines = Array.from({ length: 100 }, (_, i) => `key${i}: value${i}`);
  lines.splice(51, 0, '#      ^^^^^^ demo-no-secret: Flagged in the middle.');
  const root = tree({ 'rules/demo-no-secret/fixtures/long.yml': lines.join('\n') + '\n', 'README.md': README });
  const page = planDocs(root, [SECRET]).files.get('docs/rules/demo-no-secret.md')!;
  const code = /`long\.yml`\n\n```yaml\n([\s\S]*?)\n```/.exec(page)?.[1];
  assert.ok(code, page);
  const shown = code.split('\n');
  assert.equal(shown[0], '# …', 'the elided top is marked');
  assert.equal(shown[shown.length - 1], '# …', 'the elided bottom is marked');
  assert.ok(shown.includes('key50: value50') && shown.includes('#      ^^^^^^ demo-no-secret: Flagged in the middle.'));
  assert.ok(!shown.includes('key0: value0') && !shown.includes('key99: value99'));
  assert.ok(shown.length < 20);
});

test('the generated .faaslint.yaml schema accepts a real config and rejects a wrong one', async () => {
  const { default: Ajv } = await import('ajv');
  const schema = JSON.parse(fs.readFileSync(path.join(__dirname, '../schemas/faaslint.schema.json'), 'utf8'));
  const validate = new Ajv({ strict: false }).compile(schema);
  assert.equal(validate({ rules: { 'iam-no-wildcard-action': 'warning', 'secrets-no-hardcoded': 'off' }, exclude: ['legacy/**'], maxFileSize: 1000 }), true);
  assert.equal(validate({ rules: { 'iam-no-wildcard-action': 'loud' } }), false);
  assert.equal(validate({ rules: { 'no-such-rule': 'off' } }), false);
  assert.equal(validate({ colour: true }), false);
});
