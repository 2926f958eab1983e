// The CLI end to end: exit codes, --fail-on, --output, the text and JSON formats, config, colour.
// Cases run `runCli` (what main.ts calls) in process on temp projects; the last ones start the real
// entry point as a process, to see exit codes and streams as CI does.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import pkg from '../package.json';
import {
  REPO, CORE_RULES, configYaml, runCli, spawnCli, makeProject, removeProject,
  WILDCARD_SLS, SCOPED_SLS, QUIET_HANDLER, RISKY_HANDLER, SECRET_ENV_SLS, HANDLER_KEY, ENV_KEY,
} from './support/cli-harness';
import type { JsonReport } from '../server/src/cli/formats/json';
import { runCli as runCliInProcess } from '../server/src/cli/run';
import { safeProblemMessage } from '../server/src/cli/report';

const projects: string[] = [];
/** A temp project where only `only` rules are on, unless the files bring their own .faaslint.yaml. */
function project(files: Record<string, string>, only: readonly string[] = CORE_RULES): string {
  const dir = makeProject({ '.faaslint.yaml': configYaml(only), ...files });
  projects.push(dir);
  return dir;
}
after(() => projects.forEach(removeProject));

const ANSI = /\u001b\[\d+m/;
const NO_STACK = /^\s+at .+:\d+:\d+\)?$/m;

test('a clean project exits 0 and says so', () => {
  const cwd = project({ 'serverless.yml': SCOPED_SLS, 'handler.js': QUIET_HANDLER });
  const r = runCli([], { cwd });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /No findings in 3 files/, 'serverless.yml, handler.js and .faaslint.yaml');
  assert.equal(r.stderr, '');
});

test('a wildcard action exits 1 and is shown as line:col severity message rule-id under its file', () => {
  const cwd = project({ 'serverless.yml': WILDCARD_SLS, 'handler.js': QUIET_HANDLER });
  const r = runCli([], { cwd });
  assert.equal(r.code, 1, r.stderr);
  const lines = r.stdout.split('\n');
  const header = lines.indexOf('serverless.yml');
  assert.ok(header >= 0, `no file header in:\n${r.stdout}`);
  assert.match(lines[header + 1], /^\s+9:19\s+error\s+\S.*\s+iam-no-wildcard-action\b/);
  assert.match(r.stdout, /✖ 1 finding \(1 error, 0 warnings, 0 info\) in 3 files · 0 fixable/);
});

test('a finding with a fix says "(fix available: <title>)" and the summary counts it as fixable', () => {
  const cwd = project({ 'serverless.yml': SECRET_ENV_SLS, 'handler.js': QUIET_HANDLER });
  const r = runCli([], { cwd });
  assert.equal(r.code, 1, r.stderr);
  const row = r.stdout.split('\n').find((l) => /^\s+6:17\s/.test(l));
  assert.ok(row, `no finding at 6:17 in:\n${r.stdout}`);
  assert.match(row, /\berror\b.*secrets-no-hardcoded\s+\(fix available: \S[^)]*.*\)$/);
  assert.match(r.stdout, /· [1-9]\d* fixable/);
});

test('findings in handler code: the access key and the exec of event input', () => {
  const cwd = project({ 'serverless.yml': SCOPED_SLS, 'handler.js': RISKY_HANDLER });
  const r = runCli([], { cwd });
  assert.equal(r.code, 1, r.stderr);
  const block = r.stdout.split('\n\n').find((b) => b.startsWith('handler.js\n'));
  assert.ok(block, `no handler.js group in:\n${r.stdout}`);
  assert.match(block, /^\s+2:22\s+error\s+.*secrets-no-hardcoded/m);
  assert.match(block, /^\s+4:\d+\s+(error|warning)\s+.*handler-no-exec-with-event-input/m);
});

test('no output format ever prints a whole secret or the source line holding it', () => {
  const cwd = project({ 'serverless.yml': SECRET_ENV_SLS, 'handler.js': RISKY_HANDLER });
  let findings = 0;
  for (const format of ['text', 'json', 'sarif']) {
    const r = runCli(['--format', format], { cwd });
    assert.equal(r.code, 1, `${format}: ${r.stderr}`);
    for (const out of [r.stdout, r.stderr]) {
      assert.ok(!out.includes(HANDLER_KEY), `${format} printed the handler key`);
      assert.ok(!out.includes(ENV_KEY), `${format} printed the env key`);
      assert.ok(!out.includes('const accessKeyId ='), `${format} printed a source line`);
    }
    if (format === 'json') findings = (JSON.parse(r.stdout) as JsonReport).findings.filter((f) => f.ruleId === 'secrets-no-hardcoded').length;
  }
  assert.ok(findings >= 2, `expected both keys to be found, got ${findings}`);
});

test('--fail-on decides which severities fail the run', () => {
  const cwd = project({ 'serverless.yml': WILDCARD_SLS, 'handler.js': QUIET_HANDLER });
  const asWarning = ['--rule', 'iam-no-wildcard-action=warning'];

  const byDefault = runCli(asWarning, { cwd });
  assert.match(byDefault.stdout, /9:19\s+warning\s+.*iam-no-wildcard-action/, 'the finding is reported as a warning');
  assert.equal(byDefault.code, 0, 'warnings do not fail with the default --fail-on error');
  assert.equal(runCli([...asWarning, '--fail-on', 'warning'], { cwd }).code, 1);
  assert.equal(runCli([...asWarning, '--fail-on', 'info'], { cwd }).code, 1);
  assert.equal(runCli(['--rule', 'iam-no-wildcard-action=info', '--fail-on', 'warning'], { cwd }).code, 0);
  assert.equal(runCli(['--fail-on', 'none'], { cwd }).code, 0, 'none never fails on findings');
  assert.equal(runCli(['--fail-on', 'error'], { cwd }).code, 1);
});

test('--max-warnings fails when there are more warnings than allowed', () => {
  const cwd = project({ 'serverless.yml': WILDCARD_SLS });
  const asWarning = ['--rule', 'iam-no-wildcard-action=warning'];
  const over = runCli([...asWarning, '--max-warnings', '0'], { cwd });
  assert.equal(over.code, 1);
  assert.match(over.stderr, /too many warnings \(1, maximum 0\)/);
  assert.equal(runCli([...asWarning, '--max-warnings', '1'], { cwd }).code, 0);
});

test('--quiet reports errors only', () => {
  const cwd = project({ 'serverless.yml': WILDCARD_SLS });
  const r = runCli(['--rule', 'iam-no-wildcard-action=warning', '--quiet', '--fail-on', 'warning'], { cwd });
  assert.equal(r.code, 0);
  assert.doesNotMatch(r.stdout, /iam-no-wildcard-action/);
  const loud = runCli(['--quiet'], { cwd });
  assert.equal(loud.code, 1);
  assert.match(loud.stdout, /iam-no-wildcard-action/);
});

test('usage errors exit 2 with a one-line reason on stderr and no stack', () => {
  const cwd = project({ 'serverless.yml': SCOPED_SLS });
  const cases: [string[], RegExp][] = [
    [['--bogus'], /unknown option '--bogus'/],
    [['--format', 'xml'], /argument 'xml' is invalid/],
    [['--fail-on', 'fatal'], /argument 'fatal' is invalid/],
    [['does-not-exist'], /no such file or directory: does-not-exist/],
    [['--rule', 'no-such-rule=off'], /unknown rule "no-such-rule"/],
    [['--rule', 'iam-no-wildcard-action=fatal'], /Unknown setting "fatal"/],
    [['--rule', 'iam-no-wildcard-action'], /Expected <rule-id>=/],
    [['--max-warnings', 'many'], /Expected a whole number/],
    [['--config', 'missing.yaml'], /cannot read config file .*missing\.yaml: no such file/],
  ];
  for (const [args, message] of cases) {
    const r = runCli(args, { cwd });
    assert.equal(r.code, 2, `${args.join(' ')}: exit ${r.code}\n${r.stderr}`);
    assert.match(r.stderr, /^faaslint: /, args.join(' '));
    assert.match(r.stderr, message, args.join(' '));
    assert.doesNotMatch(r.stderr, NO_STACK, args.join(' '));
    assert.equal(r.stdout, '', `${args.join(' ')}: nothing on stdout`);
  }
});

test('an internal error exits 2 with a message; the stack only with FAASLINT_DEBUG', () => {
  const cwd = project({ 'serverless.yml': SCOPED_SLS });
  for (const debug of [undefined, '1']) {
    let stderr = '';
    const code = runCliInProcess([], {
      stdout: { write: () => { throw new Error('disk on fire'); } },
      stderr: { write: (s: string) => { stderr += s; } },
      cwd,
      env: debug ? { FAASLINT_DEBUG: debug } : {},
    });
    assert.equal(code, 2);
    assert.match(stderr, /^faaslint: internal error: disk on fire\n/);
    if (debug) assert.match(stderr, NO_STACK, 'stack with FAASLINT_DEBUG');
    else assert.doesNotMatch(stderr, NO_STACK);
  }
});

test('parser messages are cut to one line and long quoted tokens masked', () => {
  const shown = safeProblemMessage(`Identifier expected. '${HANDLER_KEY}' is a reserved word.\n  3 | const ${HANDLER_KEY} = 1`);
  assert.ok(!shown.includes(HANDLER_KEY), shown);
  assert.ok(!shown.includes('\n'));
  assert.match(shown, /^Identifier expected\. 'AKIA\*+… \(20 chars\)' is a reserved word\.$/);
  assert.equal(safeProblemMessage("',' expected."), "',' expected.", 'short tokens stay readable');
});

test('--help and --version exit 0', () => {
  const cwd = project({});
  const help = runCli(['--help'], { cwd });
  assert.equal(help.code, 0);
  for (const opt of ['--format', '--output', '--fail-on', '--config', '--rule', '--no-color', '--quiet', '--max-warnings', 'Exit codes']) {
    assert.ok(help.stdout.includes(opt), `help mentions ${opt}`);
  }
  const version = runCli(['--version'], { cwd });
  assert.equal(version.code, 0);
  assert.equal(version.stdout.trim(), pkg.version);
});

test('--output writes the report (creating directories) and keeps stdout empty', () => {
  const cwd = project({ 'serverless.yml': WILDCARD_SLS });
  const r = runCli(['--format', 'json', '--output', 'reports/ci/faaslint.json'], { cwd });
  assert.equal(r.code, 1, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /wrote reports\/ci\/faaslint\.json \(1 finding: 1 error/);
  const report = JSON.parse(fs.readFileSync(path.join(cwd, 'reports/ci/faaslint.json'), 'utf8')) as JsonReport;
  assert.equal(report.findings.length, 1);

  fs.mkdirSync(path.join(cwd, 'a-directory'));
  const bad = runCli(['--output', 'a-directory'], { cwd });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /cannot write a-directory/);
});

test('json: the documented shape with 1-based positions', () => {
  const cwd = project({ 'serverless.yml': WILDCARD_SLS, 'handler.js': QUIET_HANDLER, 'deep/dir/.env': 'STAGE=dev\n' });
  const r = runCli(['--format', 'json'], { cwd });
  assert.equal(r.code, 1, r.stderr);
  const report = JSON.parse(r.stdout) as JsonReport;
  assert.equal(report.version, 1);
  assert.deepEqual(report.tool, { name: 'faaslint', version: pkg.version });
  assert.deepEqual(report.files.map((f) => f.file).sort(), ['.faaslint.yaml', 'deep/dir/.env', 'handler.js', 'serverless.yml']);
  const sls = report.files.find((f) => f.file === 'serverless.yml')!;
  assert.deepEqual({ kind: sls.kind, findings: sls.findings, problems: sls.problems }, { kind: 'template', findings: 1, problems: [] });

  assert.equal(report.findings.length, 1);
  const f = report.findings[0];
  assert.deepEqual(Object.keys(f).sort(), ['docs', 'file', 'fingerprint', 'fixes', 'message', 'messageId', 'range', 'related', 'ruleId', 'severity']);
  assert.equal(f.file, 'serverless.yml');
  assert.equal(f.ruleId, 'iam-no-wildcard-action');
  assert.equal(f.severity, 'error');
  assert.ok(f.message.length > 10);
  assert.deepEqual(f.range, { start: { line: 9, column: 19 }, end: { line: 9, column: 22 } });
  assert.ok(Array.isArray(f.fixes) && f.fixes.every((x) => typeof x.title === 'string' && (x.kind === 'safe' || x.kind === 'suggestion')));
  assert.ok(Array.isArray(f.related));
  assert.match(f.fingerprint, /^[0-9a-f]{32}:1$/);
  assert.equal(f.docs, 'https://github.com/faaslint/faaslint/blob/main/docs/rules/iam-no-wildcard-action.md');
  assert.deepEqual(report.summary, { files: 4, skipped: 0, findings: 1, error: 1, warning: 0, info: 0, fixable: f.fixes.length ? 1 : 0, problems: 0 });
});

test('json: fixes carry titles and kinds, related locations carry file and 1-based range', () => {
  const cwd = project({ 'serverless.yml': SECRET_ENV_SLS, 'handler.js': RISKY_HANDLER });
  const report = JSON.parse(runCli(['--format', 'json'], { cwd }).stdout) as JsonReport;
  const env = report.findings.find((f) => f.file === 'serverless.yml' && f.ruleId === 'secrets-no-hardcoded');
  assert.ok(env, JSON.stringify(report.findings, null, 2));
  assert.deepEqual(env.range.start, { line: 6, column: 17 });
  assert.ok(env.fixes.length > 0 && env.fixes[0].title.length > 0);
  for (const f of report.findings) {
    for (const r of f.related) {
      assert.equal(typeof r.file, 'string');
      assert.ok(!path.isAbsolute(r.file), `related path is relative: ${r.file}`);
      assert.ok(r.range.start.line >= 1 && r.range.start.column >= 1);
    }
  }
});

test('.faaslint.yaml in the working directory is read; --config picks another file', () => {
  const cwd = project({
    'serverless.yml': WILDCARD_SLS,
    '.faaslint.yaml': configYaml(CORE_RULES, { 'iam-no-wildcard-action': 'off' }),
    'ci/strict.yaml': configYaml(CORE_RULES, { 'iam-no-wildcard-action': 'error' }),
  });
  const withDefault = runCli([], { cwd });
  assert.equal(withDefault.code, 0, withDefault.stdout);
  assert.doesNotMatch(withDefault.stdout, /iam-no-wildcard-action/);
  assert.equal(runCli(['--config', 'ci/strict.yaml'], { cwd }).code, 1);
  assert.equal(runCli(['--rule', 'iam-no-wildcard-action=error'], { cwd }).code, 1, '--rule overrides the file');
});

test('configuration problems are warnings on stderr, not failures', () => {
  const cwd = project({ 'serverless.yml': SCOPED_SLS, '.faaslint.yaml': configYaml(CORE_RULES, { 'not-a-rule': 'off' }, 'colour: always\n') });
  const r = runCli([], { cwd });
  assert.equal(r.code, 0);
  assert.match(r.stderr, /faaslint: warning: \.faaslint\.yaml: unknown option "colour"/);
  assert.match(r.stderr, /faaslint: warning: \.faaslint\.yaml: unknown rule "not-a-rule"/);
});

test('paths are shown relative to the working directory', () => {
  const cwd = project({ 'app/serverless.yml': WILDCARD_SLS, 'other/serverless.yml': SCOPED_SLS });
  const r = runCli(['app'], { cwd });
  assert.equal(r.code, 1);
  assert.ok(r.stdout.split('\n').includes(path.join('app', 'serverless.yml')), r.stdout);
  assert.doesNotMatch(r.stdout, new RegExp(cwd.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  assert.match(r.stdout, /in 1 file\b/, 'only the given path is linted');
});

test('skipped files are listed with their reason in a footer', () => {
  // Big enough to pass the limit, which the .faaslint.yaml listing every rule stays far below.
  const big = SCOPED_SLS + `${'#'.repeat(99)}\n`.repeat(300);
  const cwd = project({ 'serverless.yml': big, 'handler.js': QUIET_HANDLER, '.faaslint.yaml': configYaml(CORE_RULES, {}, 'maxFileSize: 20000\n') });
  const r = runCli([], { cwd });
  assert.equal(r.code, 0);
  assert.match(r.stdout, /Skipped 1 file:\n\s+serverless\.yml: larger than the 20 KB limit/);
  assert.match(r.stdout, /1 skipped/);
});

test('parse problems are shown under their file and counted', () => {
  const cwd = project({ 'serverless.yml': SCOPED_SLS, 'handler.js': QUIET_HANDLER, 'broken.js': 'exports.main = async (event) => { return {; };\n' });
  const r = runCli([], { cwd });
  assert.equal(r.code, 0, 'parse problems alone do not fail the run');
  const block = r.stdout.split('\n\n').find((b) => b.startsWith('broken.js\n'));
  assert.ok(block, r.stdout);
  assert.match(block, /^\s+1:\d+\s+error\s+.+\(parse\)$/m);
  assert.match(r.stdout, /[1-9]\d* parse problems?/);
});

test('colour only on a terminal or when forced, never with --no-color or NO_COLOR', () => {
  const cwd = project({ 'serverless.yml': WILDCARD_SLS });
  assert.doesNotMatch(runCli([], { cwd }).stdout, ANSI, 'piped output is plain');
  assert.match(runCli([], { cwd, isTTY: true }).stdout, ANSI, 'a terminal gets colour');
  assert.doesNotMatch(runCli(['--no-color'], { cwd, isTTY: true }).stdout, ANSI);
  assert.doesNotMatch(runCli([], { cwd, isTTY: true, env: { NO_COLOR: '1' } }).stdout, ANSI);
  assert.match(runCli(['--color'], { cwd }).stdout, ANSI);
  assert.match(runCli([], { cwd, env: { FORCE_COLOR: '1' } }).stdout, ANSI);
  assert.doesNotMatch(runCli(['--no-color'], { cwd, env: { FORCE_COLOR: '1' } }).stdout, ANSI);
  assert.doesNotMatch(runCli(['--format', 'json'], { cwd, isTTY: true }).stdout, ANSI, 'json is never coloured');
  assert.doesNotMatch(runCli(['--output', 'out.txt'], { cwd, isTTY: true }).stdout + fs.readFileSync(path.join(cwd, 'out.txt'), 'utf8'), ANSI, 'files are plain');
});

test('--list-rules lists the registered rules', () => {
  const cwd = project({});
  const text = runCli(['--list-rules'], { cwd });
  assert.equal(text.code, 0);
  const json = JSON.parse(runCli(['--list-rules', '--format', 'json'], { cwd }).stdout) as { id: string }[];
  for (const id of ['handler-no-exec-with-event-input', 'iam-no-wildcard-action', 'secrets-no-hardcoded']) {
    assert.match(text.stdout, new RegExp(`^${id}\\s`, 'm'));
    assert.ok(json.some((r) => r.id === id), id);
  }
});

test('bin/faaslint.js is executable and runs the bundle', (t) => {
  const bin = path.join(REPO, 'bin', 'faaslint.js');
  assert.ok(fs.statSync(bin).mode & 0o111, 'bin/faaslint.js has the executable bit');
  assert.match(fs.readFileSync(bin, 'utf8'), /^#!\/usr\/bin\/env node\n/);
  if (!fs.existsSync(path.join(REPO, 'dist', 'cli.js'))) {
    t.skip('dist/cli.js is not built (npm run build); `npm test` builds it first');
    return;
  }
  const cwd = project({ 'serverless.yml': WILDCARD_SLS });
  const version = spawnSync(process.execPath, [bin, '--version'], { cwd, encoding: 'utf8' });
  assert.equal(version.status, 0, version.stderr);
  assert.equal(version.stdout.trim(), pkg.version);
  const run = spawnSync(process.execPath, [bin, '--format', 'json'], { cwd, encoding: 'utf8' });
  assert.equal(run.status, 1, run.stderr);
  assert.equal((JSON.parse(run.stdout) as JsonReport).findings[0]?.ruleId, 'iam-no-wildcard-action');
});

test('as a process: exit 0 when clean, 1 on findings, 2 on a usage error (message, no stack)', () => {
  const clean = project({ 'serverless.yml': SCOPED_SLS, 'handler.js': QUIET_HANDLER });
  const ok = spawnCli([], { cwd: clean });
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /No findings/);

  const risky = project({ 'serverless.yml': WILDCARD_SLS });
  const failed = spawnCli(['--format', 'json'], { cwd: risky });
  assert.equal(failed.code, 1, failed.stderr);
  assert.equal((JSON.parse(failed.stdout) as JsonReport).findings[0]?.ruleId, 'iam-no-wildcard-action');

  const usage = spawnCli(['--format', 'xml'], { cwd: risky });
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /^faaslint: .*'xml' is invalid/);
  assert.doesNotMatch(usage.stderr, NO_STACK);
  assert.equal(usage.stdout, '');
});
