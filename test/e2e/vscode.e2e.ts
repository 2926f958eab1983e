// The packaged extension in a real VS Code: code-server 4.100 (VS Code 1.100, normal Node extension
// host) driven through Debian's Chromium by playwright-core, as a person would use it:
//   1. open serverless.yml from the Explorer and src/resize.js from Quick Open: faaslint's
//      diagnostics show in the Problems panel;
//   2. Ctrl+. on the `s3:*` line: the quick fix replaces the wildcard with the actions the code
//      calls, and that diagnostic goes away;
//   3. "faaslint: Audit Workspace" from the command palette: a progress notification, then the
//      findings of a file that was never opened (src/status.ts) in the Problems panel, listed once
//      (also after that file is opened);
//   4. "faaslint: Export SARIF…" after the audit: a valid SARIF 2.1.0 log with the findings the
//      CLI reports for the same folder;
//   5. "Ignore <rule> on this line…" from Ctrl+.: asks for a reason in the quick input, inserts
//      `// faaslint-ignore <rule> -- <reason>` above the line, and the diagnostic goes away;
//   6. a multi-root .code-workspace (two copies of the example): each folder's .faaslint.yaml and
//      folder settings apply to its files only, and the audit covers both.
// Each test that edits a file of the workspace (a copy of examples/) puts it back afterwards.
// Needs `bash scripts/e2e/install.sh` once. Run: `npm run test:e2e`.
// FAASLINT_E2E_SCREENSHOTS=1 also keeps a screenshot after each passing step.
// On failure: screenshots, code-server's logs (extension host, faaslint output channel) and the
// workspace's serverless.yml are copied to $FAASLINT_E2E_ARTIFACTS (default: a dir under the OS
// temp dir; the path is printed).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { execFileSync } from 'node:child_process';
import { codeServerBin, launchBrowser, loadPlaywright, startCodeServer, stopCodeServer, type CodeServer, type Page } from './support/codeServer';
import { ARTIFACTS, ROOT, copyExamples, copyMatching, log, run, tempDir, waitUntil } from './support/env';
import { Workbench, fileRows, markers } from './support/workbench';
import { sarifErrors } from './support/sarif';

const VSIX = path.join(ROOT, 'dist', 'faaslint.vsix');
const WILDCARD = 'iam-no-wildcard-action';
const SECRET = 'secrets-no-hardcoded';
const EXEC = 'handler-no-exec-with-event-input';

let codeServer: CodeServer | undefined;
let browser: Awaited<ReturnType<typeof launchBrowser>> | undefined;
let page: Page | undefined;
let wb: Workbench;
let workspace = '';
let workspaceParent = '';
let failures = 0;
const pageErrors: string[] = [];

/** Runs a test body; on failure takes a screenshot named after it and counts the failure. */
async function step(name: string, body: () => Promise<void>): Promise<void> {
  const started = Date.now();
  try {
    await body();
    log(`${name}: passed in ${Date.now() - started} ms`);
    if (process.env.FAASLINT_E2E_SCREENSHOTS && page) {
      fs.mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: path.join(ARTIFACTS, `${name}-passed.png`), timeout: 10_000 });
    }
  } catch (e) {
    failures++;
    if (page) {
      fs.mkdirSync(ARTIFACTS, { recursive: true });
      const file = path.join(ARTIFACTS, `${name.replace(/[^\w-]+/g, '-')}.png`);
      await page.screenshot({ path: file, timeout: 10_000 }).then(
        () => log(`${name}: FAILED after ${Date.now() - started} ms; screenshot: ${file}`),
        (err: Error) => log(`${name}: FAILED; no screenshot: ${err.message}`),
      );
    }
    throw e;
  }
}

const has = (what: string, ok: boolean): true | string => (ok ? true : `no ${what}`);

/** Where `needle` first occurs in a file, as the Problems panel writes it: `[Ln L, Col C]`. */
function position(file: string, needle: string): string {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(needle));
  assert.ok(i >= 0, `${needle} not found in ${file}`);
  return `[Ln ${i + 1}, Col ${lines[i].indexOf(needle) + 1}]`;
}

before(async () => {
  await step('setup', async () => {
    // Fail fast, with what to run, when scripts/e2e/install.sh has not been run.
    codeServerBin();
    loadPlaywright();
    run('npm', ['run', 'package'], { timeoutMs: 180_000 });
    assert.ok(fs.existsSync(VSIX), `${VSIX} was not written`);
    workspaceParent = tempDir('workspace');
    workspace = copyExamples(path.join(workspaceParent, 'thumbnailer'));
    codeServer = await startCodeServer({ vsix: VSIX, workspace });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    page.setDefaultTimeout(30_000);
    page.on('pageerror', (e) => pageErrors.push(e.message ?? String(e)));
    wb = new Workbench(page);
    await wb.open(`${codeServer.url}/?folder=${encodeURIComponent(workspace)}`);
    // Activation is on workspaceContains:**/serverless.yml, so it happens with no file open.
    await wb.waitForActivation();
  });
}, { timeout: 300_000 });

after(async () => {
  try {
    // FAASLINT_E2E_KEEP_LOGS=1: the logs also when every test passed (e.g. with FAASLINT_E2E_TRACE=1).
    if ((failures > 0 || process.env.FAASLINT_E2E_KEEP_LOGS) && codeServer) {
      const copied = [
        ...copyMatching(codeServer.userDataDir, path.join(ARTIFACTS, 'user-data'), /^logs\//),
        ...copyMatching(path.dirname(codeServer.logFile), ARTIFACTS, /^code-server\.log$/),
        ...(workspace ? copyMatching(workspace, path.join(ARTIFACTS, 'workspace'), /^serverless\.yml$/) : []),
      ];
      log(`copied ${copied.length} log files to ${ARTIFACTS}`);
      for (const f of copied.filter((f) => /faaslint\.log$|exthost\.log$/.test(f))) {
        log(`--- ${path.relative(ARTIFACTS, f)} ---\n${fs.readFileSync(f, 'utf8').slice(-6000)}`);
      }
      if (pageErrors.length) log(`page errors:\n${pageErrors.slice(0, 20).join('\n')}`);
    }
  } finally {
    await Promise.race([browser?.close().catch(() => undefined), new Promise((r) => setTimeout(r, 10_000).unref())]);
    await stopCodeServer(codeServer);
    for (const dir of [workspaceParent, codeServer && path.dirname(codeServer.logFile)]) {
      if (dir) fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    }
  }
}, { timeout: 60_000 });

test('diagnostics for serverless.yml and src/resize.js show in the Problems panel', { timeout: 120_000 }, () =>
  step('problems', async () => {
    const s3 = position(path.join(workspace, 'serverless.yml'), "'s3:*'");
    await wb.openFromExplorer('serverless.yml');
    await wb.waitForProblems(WILDCARD, 'the s3:* wildcard finding on serverless.yml', (rows) => {
      const files = fileRows(rows);
      if (!files.includes('serverless.yml')) return `serverless.yml file row (files: ${files.join(', ') || 'none'})`;
      return has('`s3:*` marker at ' + s3, markers(rows, WILDCARD).some((r) => r.label.includes('`s3:*`') && r.text.includes(s3)));
    });
    await wb.waitForProblems(SECRET, 'the Stripe key finding on serverless.yml', (rows) =>
      has('Stripe marker', fileRows(rows).includes('serverless.yml') && markers(rows, SECRET).some((r) => r.label.includes('Stripe'))),
    );

    const exec = position(path.join(workspace, 'src', 'resize.js'), 'execSync(`');
    await wb.quickOpen('resize.js');
    const rows = await wb.waitForProblems(EXEC, 'the shell-command finding on src/resize.js', (rows) =>
      has(`resize.js ${EXEC} marker`, fileRows(rows).includes('resize.js') && markers(rows, EXEC).length === 1),
    );
    const [marker] = markers(rows, EXEC);
    assert.match(marker.label, /reaches a shell command/);
    assert.ok(marker.text.includes(exec), `${EXEC} is not at ${exec}: ${marker.text}`);
  }),
);

test('the quick fix on `s3:*` lists the actions instead and the diagnostic goes away', { timeout: 120_000 }, () =>
  step('quick-fix', async () => {
    const file = path.join(workspace, 'serverless.yml');
    const before = fs.readFileSync(file, 'utf8');
    const lines = before.split('\n');
    const lineIndex = lines.findIndex((l) => l.includes("Action: 's3:*'"));
    assert.ok(lineIndex >= 0, "the example's serverless.yml has no `Action: 's3:*'` line");
    const column = lines[lineIndex].indexOf("'s3:*'") + 1;

    await wb.quickOpen('serverless.yml');
    await wb.goToLine(lineIndex + 1, column + 1);
    // The lightbulb shows for the diagnostic under the cursor; Ctrl+. opens the same menu.
    await wb.openQuickFix();
    const titles = await wb.applyCodeAction(/^Replace `s3:\*` with the \d+ s3 actions?/);
    log(`quick fixes on line ${lineIndex + 1}: ${titles.map((t) => JSON.stringify(t)).join(', ')}`);

    await page!.keyboard.press('Control+S');
    await page!.locator('.tabs-container .tab.active.dirty').waitFor({ state: 'detached' });
    const after = await waitForFile(file, (text) => !text.includes("'s3:*'"));

    // Only the wildcard changed: the documents are equal once the first statement's Action is put back.
    const docBefore = parse(before, { logLevel: 'silent' });
    const docAfter = parse(after, { logLevel: 'silent' });
    const action = docAfter.provider.iam.role.statements[0].Action;
    assert.deepEqual([action].flat().sort(), ['s3:GetObject', 's3:PutObject'], `Action after the fix:\n${after}`);
    docAfter.provider.iam.role.statements[0].Action = docBefore.provider.iam.role.statements[0].Action;
    assert.deepEqual(docAfter, docBefore, 'the fix changed more than the s3 Action');

    await wb.waitForProblems(WILDCARD, 'the s3:* finding to go away and the dynamodb:* one to stay', (rows) => {
      const m = markers(rows, WILDCARD);
      if (m.some((r) => r.label.includes('`s3:*`'))) return 'the `s3:*` marker is still there';
      return has('`dynamodb:*` marker', m.filter((r) => r.label.includes('`dynamodb:*`')).length === 1);
    });

    // Put the file back.
    await restore(file, before, () => wb.waitForProblems(WILDCARD, 'serverless.yml restored: the s3:* finding is back', (rows) =>
      has('`s3:*` marker', markers(rows, WILDCARD).some((r) => r.label.includes('`s3:*`')))));
  }),
);

test('"faaslint: Audit Workspace" shows progress, then findings of files never opened', { timeout: 120_000 }, () =>
  step('audit', async () => {
    // src/status.ts was never opened: nothing about its hardcoded key yet.
    await wb.expectNoProblems('METRICS_API_KEY');

    await wb.recordNotifications();
    await wb.runCommand('faaslint: Audit Workspace');
    const done = wb.toast(/faaslint: \d+ findings? in \d+ of \d+ files/);
    await done.waitFor({ state: 'visible', timeout: 60_000 });
    const summary = (await done.first().innerText()).replace(/\s+/g, ' ');
    const seen = await wb.recordedNotifications();
    log(`audit notifications and status seen:\n  ${seen.join('\n  ')}`);
    assert.ok(
      seen.some((s) => s.startsWith('toast:') && s.includes('faaslint: auditing workspace')),
      `no progress notification was shown; seen:\n${seen.join('\n')}`,
    );
    assert.match(summary, /Open Report/);

    await wb.waitForProblems('METRICS_API_KEY', 'the hardcoded key in src/status.ts after the audit', (rows) =>
      has(`status.ts ${SECRET} marker`, fileRows(rows).includes('status.ts') && markers(rows, SECRET).length === 1),
    );
    // Open files are not listed twice (pulled for the editor, pushed by the audit).
    await wb.waitForProblems(WILDCARD, 'the s3:* and dynamodb:* findings once each after the audit', (rows) => {
      const m = markers(rows, WILDCARD);
      const once = (action: string) => m.filter((r) => r.label.includes(`\`${action}\``)).length === 1;
      return m.length === 2 && once('s3:*') && once('dynamodb:*') ? true : `${m.length} ${WILDCARD} markers: ${m.map((r) => r.text).join(' | ')}`;
    });

    // The pushed and pulled diagnostics have collections of their own: VS Code warns in the
    // extension host log when an extension creates two with one name.
    const hostLogs = fs.readdirSync(path.join(codeServer!.userDataDir, 'logs'), { recursive: true, encoding: 'utf8' })
      .filter((f) => /exthost\d*[\\/]remoteexthost\.log$/.test(f))
      .map((f) => path.join(codeServer!.userDataDir, 'logs', f));
    assert.ok(hostLogs.length > 0, 'found the extension host log');
    for (const f of hostLogs) assert.doesNotMatch(fs.readFileSync(f, 'utf8'), /DiagnosticCollection with name '.*' does already exist/);

    // Opening an audited file hands it from the audit's pushed diagnostics to the editor's pulled
    // ones: still exactly one finding.
    await wb.quickOpen('status.ts');
    await wb.waitForProblems('METRICS_API_KEY', 'status.ts opened after the audit: its finding once', (rows) =>
      markers(rows, SECRET).length === 1 && fileRows(rows).join() === 'status.ts' ? true : `${markers(rows, SECRET).length} ${SECRET} markers`,
    );
    await wb.filterProblems('');
  }),
);

test('"faaslint: Export SARIF…" after the audit writes SARIF 2.1.0 with the findings the CLI reports', { timeout: 120_000 }, () =>
  step('export-sarif', async () => {
    const target = path.join(workspace, 'faaslint.sarif');
    fs.rmSync(target, { force: true });
    try {
      await wb.runCommand('faaslint: Export SARIF…');
      log('export-sarif: command run, waiting for the save dialog');
      // code-server's save dialog is VS Code's own: a quick input holding the path, defaulting
      // to faaslint.sarif in the workspace folder.
      const input = page!.locator('.quick-input-widget .quick-input-box input');
      await input.waitFor({ state: 'visible' });
      await waitUntil('the save dialog to offer faaslint.sarif', async () => (await input.inputValue()).endsWith('faaslint.sarif'), 10_000);
      log('export-sarif: accepting the save dialog');
      await page!.keyboard.press('Enter');
      await wb.toast(/faaslint: wrote faaslint\.sarif/).waitFor({ state: 'visible', timeout: 60_000 });

      const sarif = JSON.parse(fs.readFileSync(target, 'utf8')) as { version: string; runs: { results: { ruleId: string }[] }[] };
      assert.deepEqual(sarifErrors(sarif), [], 'valid against the SARIF 2.1.0 schema');
      assert.equal(sarif.version, '2.1.0');
      // The CLI's JSON for the same folder, now (the earlier tests put every file back).
      const cli = JSON.parse(execFileSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), '.', '--format', 'json', '--fail-on', 'none'], { cwd: workspace, encoding: 'utf8' })) as { findings: { ruleId: string }[] };
      const results = sarif.runs.flatMap((r) => r.results);
      log(`SARIF export: ${results.length} results in ${sarif.runs.length} run(s); the CLI's JSON: ${cli.findings.length} findings`);
      assert.ok(cli.findings.length > 0, 'the example has findings');
      assert.equal(results.length, cli.findings.length);
      assert.deepEqual(results.map((r) => r.ruleId).sort(), cli.findings.map((f) => f.ruleId).sort());
    } finally {
      fs.rmSync(target, { force: true });
    }
  }),
);

test('"Ignore <rule> on this line…" asks for a reason, inserts the comment, and the diagnostic goes away', { timeout: 120_000 }, () =>
  step('ignore-with-reason', async () => {
    const file = path.join(workspace, 'src', 'resize.js');
    const before = fs.readFileSync(file, 'utf8');
    const lines = before.split('\n');
    const lineIndex = lines.findIndex((l) => l.includes('execSync(`'));
    assert.ok(lineIndex >= 0, 'src/resize.js has no execSync(`…`) line');
    const reason = 'input is an S3 key we wrote, reviewed 2026-11';
    try {
      await wb.quickOpen('resize.js');
      await wb.waitForProblems(EXEC, 'the shell-command finding before ignoring it', (rows) => has(`${EXEC} marker`, markers(rows, EXEC).length === 1));
      await wb.goToLine(lineIndex + 1, lines[lineIndex].indexOf('execSync') + 2);
      await wb.openQuickFix();
      await wb.applyCodeAction(new RegExp(`^Ignore ${EXEC} on this line`));

      // The reason prompt, in the quick input.
      const input = page!.locator('.quick-input-widget .quick-input-box input');
      await input.waitFor({ state: 'visible' });
      await page!.locator('.quick-input-widget').filter({ hasText: 'why is this finding acceptable here?' }).waitFor({ state: 'visible' });
      await input.fill(reason);
      await page!.keyboard.press('Enter');
      await input.waitFor({ state: 'hidden' });

      await page!.keyboard.press('Control+S');
      await page!.locator('.tabs-container .tab.active.dirty').waitFor({ state: 'detached' });
      const after = await waitForFile(file, (text) => text.includes('faaslint-ignore'));
      const indent = /^\s*/.exec(lines[lineIndex])![0];
      const expected = [...lines.slice(0, lineIndex), `${indent}// faaslint-ignore ${EXEC} -- ${reason}`, ...lines.slice(lineIndex)].join('\n');
      assert.equal(after, expected, 'exactly one comment line, above the finding, with the reason');

      await wb.waitForProblems(EXEC, 'the ignored finding to go away', (rows) => {
        const m = markers(rows, EXEC);
        return m.length === 0 ? true : `${m.length} ${EXEC} markers`;
      });
    } finally {
      await restore(file, before, () => wb.waitForProblems(EXEC, 'src/resize.js restored: its finding is back', (rows) =>
        has(`${EXEC} marker`, markers(rows, EXEC).length === 1)));
    }
  }),
);

test('a multi-root workspace: each folder under its own .faaslint.yaml and folder settings, one audit for both', { timeout: 180_000 }, () =>
  step('multi-root', async () => {
    // Two copies of the example. orders turns the IAM rule off in its .faaslint.yaml; billing
    // turns the shell-command rule off in its folder settings (.vscode/settings.json).
    const parent = path.join(workspaceParent, 'multi');
    const orders = copyExamples(path.join(parent, 'orders'));
    const billing = copyExamples(path.join(parent, 'billing'));
    fs.writeFileSync(path.join(orders, '.faaslint.yaml'), `rules:\n  ${WILDCARD}: off\n`);
    fs.mkdirSync(path.join(billing, '.vscode'));
    fs.writeFileSync(path.join(billing, '.vscode', 'settings.json'), JSON.stringify({ 'faaslint.rules': { [EXEC]: 'off' } }));
    const file = path.join(parent, 'services.code-workspace');
    fs.writeFileSync(file, JSON.stringify({ folders: [{ path: 'orders' }, { path: 'billing' }] }));
    // What the CLI reports for each folder, run from it (so its .faaslint.yaml applies), plus the folder setting.
    const cliFindings = (cwd: string, extra: string[] = []) => (JSON.parse(execFileSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), '.', '--format', 'json', '--fail-on', 'none', ...extra], { cwd, encoding: 'utf8' })) as { findings: unknown[] }).findings.length;
    const expected = cliFindings(orders) + cliFindings(billing, ['--rule', `${EXEC}=off`]);

    await wb.open(`${codeServer!.url}/?workspace=${encodeURIComponent(file)}`);
    await wb.waitForActivation();
    await wb.runCommand('faaslint: Audit Workspace');
    const done = wb.toast(new RegExp(`faaslint: ${expected} findings in \\d+ of \\d+ files`));
    await done.waitFor({ state: 'visible', timeout: 60_000 }).catch(async (e: Error) => {
      const toasts = await page!.locator('.notifications-toasts .notification-toast').allInnerTexts();
      throw new Error(`${e.message}\n  expected ${expected} findings (the CLI, per folder); toasts: ${toasts.join(' | ')}`);
    });

    // A file row names the file and, in a multi-root workspace, its folder ("serverless.yml billing"):
    // which folder of the two each finding landed in.
    const folders = (rows: { label: string; text: string; level: number }[]) =>
      rows.filter((r) => r.level === 1).map((r) => ['orders', 'billing'].filter((name) => `${r.label} ${r.text}`.includes(name)).join('+') || '?');
    const onlyIn = (name: string) => (rows: { label: string; text: string; level: number }[]) => {
      const f = folders(rows);
      return f.length > 0 && f.every((x) => x === name) ? true : `file rows only in ${name}: ${f.join(' | ') || 'none'}`;
    };
    await wb.waitForProblems(WILDCARD, 'the IAM findings in billing only', onlyIn('billing'));
    await wb.waitForProblems(EXEC, 'the shell-command finding in orders only', onlyIn('orders'));
    await wb.waitForProblems('METRICS_API_KEY', 'the hardcoded key of src/status.ts in both folders', (rows) => {
      const f = folders(rows);
      return markers(rows, SECRET).length === 2 && f.includes('orders') && f.includes('billing') ? true : `folders: ${f.join(' | ')}`;
    });
    await wb.filterProblems('');
  }),
);

/**
 * Writes a file's original text back, reverts its editor (the active one) to it rather than
 * waiting for the file watcher, and waits until `settled` sees the workbench catch up.
 */
async function restore(file: string, text: string, settled: () => Promise<unknown>): Promise<void> {
  if (fs.readFileSync(file, 'utf8') === text) return;
  fs.writeFileSync(file, text);
  await wb.runCommand('File: Revert File');
  await settled();
}

async function waitForFile(file: string, ok: (text: string) => boolean, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = fs.readFileSync(file, 'utf8');
    if (ok(text)) return text;
    if (Date.now() > deadline) throw new Error(`${file} did not change as expected within ${timeoutMs} ms:\n${text}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
