// The real built language server (dist/server.js) over stdio, as an editor drives it: diagnostics
// pushed (no pull capability, a client that never answers workspace/configuration) and pulled,
// code actions whose edits remove the finding, the workspace audit, and bad input it must survive.
import { ensureServerBuilt } from './support/build';
import { LspClient, uriOf, type LspClientOptions } from './support/lspClient';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  type ClientCapabilities,
  type Diagnostic,
  type TextEdit,
  type WorkspaceEdit,
  type Hover,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { codeActions, FIX_ALL_TITLE } from '../server/src/lsp/codeActions';
import type { LintEntry } from '../server/src/lsp/liveLint';
import type { LocatedFinding, LocatedFix } from '../server/src/engine/index';

const IAM = 'iam-no-wildcard-action';
const SECRET = 'secrets-no-hardcoded';

// Split so secret scanners do not flag this file; the server sees the joined values.
const ACCESS_KEY = 'AKIA' + 'UJZDEGXDNCF32EPF';
const SECRET_KEY = '2hpChYgCfrL1spNxnyVm' + 'ihA+2O76UMFxFkM+R5Kj';

const SLS = `service: uploads
provider:
  name: aws
  runtime: nodejs20.x
  iam:
    role:
      statements:
        - Effect: Allow
          Action: 's3:*'
          Resource: '*'
functions:
  upload:
    handler: src/upload.handler
    events:
      - httpApi: POST /upload
`;
const HANDLER = `const { S3Client, PutObjectCommand } = require('@aws-sdk/client-s3');

const s3 = new S3Client({
  credentials: {
    accessKeyId: '${ACCESS_KEY}',
    secretAccessKey: '${SECRET_KEY}',
  },
});

exports.handler = async (event) => {
  await s3.send(new PutObjectCommand({ Bucket: 'uploads', Key: 'in/' + Date.now(), Body: event.body }));
  return { statusCode: 201 };
};
`;

const tempDirs: string[] = [];
function workspace(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'faaslint-lsp-'));
  tempDirs.push(dir);
  fs.mkdirSync(path.join(dir, 'src'));
  fs.writeFileSync(path.join(dir, 'serverless.yml'), SLS);
  fs.writeFileSync(path.join(dir, 'src', 'upload.js'), HANDLER);
  return fs.realpathSync(dir);
}

/** Applies a WorkspaceEdit (either shape) to in-memory texts by URI; returns the URIs it changed. */
function applyWorkspaceEdit(edit: WorkspaceEdit | undefined, texts: Map<string, string>): string[] {
  assert.ok(edit, 'the code action carries an edit');
  const byUri = new Map<string, TextEdit[]>();
  for (const dc of edit.documentChanges ?? []) {
    assert.ok('textDocument' in dc && 'edits' in dc, 'only text document edits are expected');
    byUri.set(dc.textDocument.uri, [...(byUri.get(dc.textDocument.uri) ?? []), ...(dc.edits as TextEdit[])]);
  }
  for (const [uri, edits] of Object.entries(edit.changes ?? {})) byUri.set(uri, [...(byUri.get(uri) ?? []), ...edits]);
  for (const [uri, edits] of byUri) {
    const text = texts.get(uri);
    assert.ok(text !== undefined, `edit for a file the test knows: ${uri}`);
    texts.set(uri, TextDocument.applyEdits(TextDocument.create(uri, 'x', 0, text), edits));
  }
  return [...byUri.keys()];
}

const codes = (ds: Diagnostic[]) => ds.map((d) => d.code);
const PUSH_CAPS: ClientCapabilities = {
  textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true } },
  workspace: { configuration: true, workspaceEdit: { documentChanges: true } },
};
const PULL_CAPS: ClientCapabilities = {
  textDocument: { diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false }, publishDiagnostics: { relatedInformation: true } },
  workspace: { configuration: true, diagnostics: { refreshSupport: true }, workspaceEdit: { documentChanges: false } },
  window: { workDoneProgress: true },
};

before(ensureServerBuilt);

const servers: LspClient[] = [];
after(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  for (const d of tempDirs) fs.rmSync(d, { recursive: true, force: true });
});
function server(opts?: LspClientOptions): LspClient {
  const s = new LspClient(opts);
  servers.push(s);
  return s;
}

test('push diagnostics: a client without pull support that never answers workspace/configuration', async () => {
  const dir = workspace();
  const sls = path.join(dir, 'serverless.yml');
  const handler = path.join(dir, 'src', 'upload.js');
  const s = server();
  // Never answers: the server must time out and lint with the defaults.
  s.conn.onRequest('workspace/configuration', () => new Promise(() => undefined));
  const init = await s.initialize(dir, PUSH_CAPS);
  assert.equal(init.capabilities.diagnosticProvider, undefined, 'no pull diagnostics for a push-only client');
  assert.ok(init.capabilities.codeActionProvider && init.capabilities.hoverProvider && init.capabilities.executeCommandProvider);

  await s.open(sls, SLS, 'yaml');
  await s.open(handler, HANDLER, 'javascript');
  const slsDiags = await s.diagnostics(uriOf(sls), (p) => codes(p.diagnostics).includes(IAM));
  const iam = slsDiags.diagnostics.find((d) => d.code === IAM)!;
  assert.equal(iam.source, 'faaslint');
  assert.equal(iam.codeDescription?.href, `https://github.com/faaslint/faaslint/blob/main/docs/rules/${IAM}.md`);
  assert.equal(SLS.split('\n')[iam.range.start.line].slice(iam.range.start.character, iam.range.end.character), "'s3:*'");
  assert.equal(slsDiags.version, 1);

  const hDiags = await s.diagnostics(uriOf(handler), (p) => codes(p.diagnostics).includes(SECRET));
  const secrets = hDiags.diagnostics.filter((d) => d.code === SECRET);
  const keyDiag = secrets.find((d) => HANDLER.split('\n')[d.range.start.line].includes('accessKeyId'));
  assert.ok(keyDiag, `a finding on the access key line; got ${JSON.stringify(secrets.map((d) => d.range))}`);
  assert.ok(!JSON.stringify(hDiags).includes(SECRET_KEY), 'diagnostics never echo the secret');

  // The preferred fix of the access key finding, applied as an editor would.
  const actions = await s.codeActions(handler, keyDiag);
  const fix = actions.find((a) => a.isPreferred);
  assert.ok(fix, `a preferred fix among: ${actions.map((a) => a.title).join(' | ')}`);
  assert.equal(fix.kind, 'quickfix');
  assert.ok(actions.some((a) => a.title === `Ignore ${SECRET} on this line`));
  assert.ok(actions.some((a) => a.title === `Open documentation for ${SECRET}` && a.command?.arguments?.[0] === SECRET));
  for (const dc of fix.edit?.documentChanges ?? []) {
    if ('textDocument' in dc && dc.textDocument.uri === uriOf(handler)) assert.equal(dc.textDocument.version, 1, 'edits are versioned');
  }
  const texts = new Map([[uriOf(sls), SLS], [uriOf(handler), HANDLER]]);
  const changed = applyWorkspaceEdit(fix.edit, texts);
  const fixedHandler = texts.get(uriOf(handler))!;
  assert.ok(!fixedHandler.includes(ACCESS_KEY), 'the fix removes the hardcoded key');
  for (const uri of changed) await s.change(uri === uriOf(sls) ? sls : handler, texts.get(uri)!, 2);

  const after = await s.diagnostics(uriOf(handler), (p) => p.version === 2);
  const remaining = after.diagnostics.filter((d) => d.code === SECRET);
  assert.equal(remaining.length, secrets.length - 1, 'exactly the fixed finding is gone');
  assert.ok(!remaining.some((d) => fixedHandler.split('\n')[d.range.start.line].includes('accessKeyId')));
  // The template's IAM finding reads the handler's SDK calls: editing only the handler re-lints it too.
  await new Promise((r) => setTimeout(r, 500));
  const slsPublishes = s.published.filter((p) => p.uri === uriOf(sls)).length;
  await s.change(handler, fixedHandler + '// touched\n', 3);
  await s.diagnostics(uriOf(handler), (p) => p.version === 3);
  await s.diagnostics(uriOf(sls), () => s.published.filter((p) => p.uri === uriOf(sls)).length > slsPublishes);
  assert.equal(s.exitCode, undefined, 'server still running');
});

test('pull diagnostics: findings on request, a fix and an ignore comment clear them, hover explains', async () => {
  const dir = workspace();
  const sls = path.join(dir, 'serverless.yml');
  const handler = path.join(dir, 'src', 'upload.js');
  const s = server({ settings: () => ({ enable: true, rules: {}, exclude: [] }) });
  const init = await s.initialize(dir, PULL_CAPS);
  assert.deepEqual(init.capabilities.diagnosticProvider, { identifier: 'faaslint', interFileDependencies: true, workspaceDiagnostics: false });

  await s.open(sls, SLS, 'yaml');
  await s.open(handler, HANDLER, 'javascript');
  const slsItems = await s.pull(sls);
  const iam = slsItems.find((d) => d.code === IAM);
  assert.ok(iam, `iam finding among ${JSON.stringify(codes(slsItems))}`);
  assert.ok(codes(await s.pull(handler)).includes(SECRET));

  const hover = (await s.conn.sendRequest('textDocument/hover', { textDocument: { uri: uriOf(sls) }, position: iam.range.start })) as Hover | null;
  assert.ok(hover && typeof hover.contents === 'object' && 'value' in hover.contents && hover.contents.value.includes(IAM));

  // The IAM fix narrows `s3:*` to what the handler calls (changes-shaped edit: no documentChanges support).
  const actions = await s.codeActions(sls, iam);
  const fix = actions.find((a) => a.isPreferred);
  assert.ok(fix?.edit?.changes, `a preferred fix among: ${actions.map((a) => a.title).join(' | ')}`);
  const texts = new Map([[uriOf(sls), SLS]]);
  applyWorkspaceEdit(fix.edit, texts);
  assert.match(texts.get(uriOf(sls))!, /s3:PutObject/);
  await s.change(sls, texts.get(uriOf(sls))!, 2);
  assert.ok(!codes(await s.pull(sls)).includes(IAM), 'the fixed IAM finding is gone');

  // Back to the wildcard, then suppress it with the "ignore" action.
  await s.change(sls, SLS, 3);
  const again = (await s.pull(sls)).find((d) => d.code === IAM)!;
  const ignore = (await s.codeActions(sls, again)).find((a) => a.title === `Ignore ${IAM} on this line`);
  assert.ok(ignore);
  const ignoreTexts = new Map([[uriOf(sls), SLS]]);
  applyWorkspaceEdit(ignore.edit, ignoreTexts);
  const ignored = ignoreTexts.get(uriOf(sls))!;
  assert.match(ignored, new RegExp(`\\n {10}# faaslint-ignore ${IAM} -- reason\\n {10}Action: 's3:\\*'`), 'same indentation, line above');
  await s.change(sls, ignored, 4);
  assert.ok(!codes(await s.pull(sls)).includes(IAM), 'the suppressed finding is gone');
});

test('code actions asked while a linked handler changes still carry the fix (never an empty answer)', async () => {
  const dir = workspace();
  const sls = path.join(dir, 'serverless.yml');
  const handler = path.join(dir, 'src', 'upload.js');
  const s = server();
  await s.initialize(dir, PULL_CAPS);
  await s.open(sls, SLS, 'yaml');
  await s.open(handler, HANDLER, 'javascript');
  const iam = (await s.pull(sls)).find((d) => d.code === IAM);
  assert.ok(iam);
  // Each handler edit re-links the template; the code action request lands right behind it.
  for (let v = 2; v <= 15; v++) {
    void s.change(handler, `${HANDLER}// edit ${v}\n`, v);
    const actions = await s.codeActions(sls, iam);
    const titles = actions.map((a) => a.title);
    assert.ok(actions.some((a) => a.isPreferred && /^Replace `s3:\*`/.test(a.title)), `after edit ${v}: ${titles.join(' | ') || 'no actions'}`);
  }
});

test('settings: faaslint.* over .faaslint.yaml (ignored when untrusted), enable false clears', async () => {
  const dir = workspace();
  const sls = path.join(dir, 'serverless.yml');
  const handler = path.join(dir, 'src', 'upload.js');
  fs.writeFileSync(path.join(dir, '.faaslint.yaml'), `rules:\n  ${SECRET}: off\n  ${IAM}: info\n`);
  let settings: Record<string, unknown> = { enable: true, rules: { [IAM]: 'warning' } };
  const start = async (trusted: boolean) => {
    const s = server({ settings: () => settings });
    await s.initialize(dir, PULL_CAPS, { workspaceTrusted: trusted });
    await s.open(sls, SLS, 'yaml');
    await s.open(handler, HANDLER, 'javascript');
    return s;
  };
  const trusted = await start(true);
  const iam = (await trusted.pull(sls)).find((d) => d.code === IAM);
  assert.equal(iam?.severity, 2, 'the editor setting (warning) wins over the file (info)');
  assert.ok(!codes(await trusted.pull(handler)).includes(SECRET), '.faaslint.yaml turned the secrets rule off');

  const untrusted = await start(false);
  assert.ok(codes(await untrusted.pull(handler)).includes(SECRET), 'an untrusted workspace\'s .faaslint.yaml is not read');

  settings = { enable: false };
  const refreshes = untrusted.refreshes;
  await untrusted.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
  for (let i = 0; i < 50 && untrusted.refreshes === refreshes; i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(untrusted.refreshes > refreshes, 'the client is asked to pull again');
  assert.deepEqual(await untrusted.pull(handler), []);
  assert.deepEqual(await untrusted.pull(sls), []);
});

test('faaslint/audit: totals, progress with a file count, diagnostics for closed files', async () => {
  const dir = workspace();
  const s = server();
  await s.initialize(dir, PUSH_CAPS);
  const progress: { kind: string; message?: string }[] = [];
  s.conn.onNotification('$/progress', (p: { token: string; value: { kind: string; message?: string } }) => {
    if (p.token === 'audit-1') progress.push(p.value);
  });
  const result = (await s.conn.sendRequest('faaslint/audit', { workDoneToken: 'audit-1' })) as {
    files: number; findings: number; cancelled: boolean; bySeverity: Record<string, number>; byCategory: Record<string, number>; markdown: string; top: { ruleId: string }[];
    routes: { method: string; path: string; function: string; protection: string; handlerChecksIdentity: boolean | null; publicBothSides: boolean }[];
  };
  // The route auth matrix: POST /upload has no authorizer and its handler checks nobody.
  assert.deepEqual(result.routes.map((r) => [r.method, r.path, r.function, r.protection, r.handlerChecksIdentity, r.publicBothSides]), [['POST', '/upload', 'upload', 'none', false, true]]);
  assert.match(result.markdown, /## Routes[\s\S]*\| POST \| \/upload \|/);
  assert.equal(result.cancelled, false);
  assert.equal(result.files, 2);
  assert.ok(result.findings >= 3, `findings: ${result.findings}`);
  assert.ok(result.byCategory.iam >= 1 && result.byCategory.secrets >= 2, JSON.stringify(result.byCategory));
  assert.equal(Object.values(result.bySeverity).reduce((a, b) => a + b, 0), result.findings);
  assert.match(result.markdown, /^# faaslint workspace audit/);
  assert.ok(result.top.some((f) => f.ruleId === IAM));
  assert.equal(progress[0]?.kind, 'begin');
  assert.ok(progress.some((p) => p.kind === 'report' && /2\/2 files/.test(p.message ?? '')), JSON.stringify(progress));
  assert.equal(progress.at(-1)?.kind, 'end');
  await s.diagnostics(uriOf(path.join(dir, 'src', 'upload.js')), (p) => codes(p.diagnostics).includes(SECRET));
  await s.diagnostics(uriOf(path.join(dir, 'serverless.yml')), (p) => codes(p.diagnostics).includes(IAM));
});

test('a handler opened alone knows its function: templates are indexed in the background', async () => {
  const dir = workspace();
  const sls = path.join(dir, 'serverless.yml');
  const handler = path.join(dir, 'src', 'upload.js');
  const s = server();
  await s.initialize(dir, { ...PUSH_CAPS, workspace: { workspaceEdit: { documentChanges: true } } });
  await s.open(handler, HANDLER, 'javascript');
  await s.log(/^indexed 1 template/);
  const diags = await s.diagnostics(uriOf(handler), (p) => codes(p.diagnostics).includes(SECRET));
  const keyDiag = diags.diagnostics.find((d) => d.code === SECRET && HANDLER.split('\n')[d.range.start.line].includes('accessKeyId'))!;
  const fix = (await s.codeActions(handler, keyDiag)).find((a) => a.isPreferred);
  // The fix also declares the variable in the (closed) template: only possible through the index.
  const templateEdit = fix?.edit?.documentChanges?.find((dc) => 'textDocument' in dc && dc.textDocument.uri === uriOf(sls));
  assert.ok(templateEdit && 'textDocument' in templateEdit, `an edit of serverless.yml in ${JSON.stringify(fix?.edit)}`);
  assert.equal(templateEdit.textDocument.version, null, 'a file that is not open has no version');
});

test('fix all: the first safe fix of each finding, in this file only, never overlapping', () => {
  const file = path.join(os.tmpdir(), 'h.js');
  const text = 'const a = 1;\nconst b = 2;\n';
  const doc = TextDocument.create(uriOf(file), 'javascript', 3, text);
  const at = (o: number) => doc.positionAt(o);
  const edit = (start: number, end: number, newText: string, f = file) => ({ file: f, start, end, newText, range: { start: at(start), end: at(end) } });
  const finding = (start: number, end: number, fixes: LocatedFix[]): LocatedFinding => ({
    ruleId: 'demo-rule', severity: 'warning', uri: file, message: 'm', messageId: 'm', data: {}, start, end,
    range: { start: at(start), end: at(end) }, fixes, related: [],
  });
  const findings = [
    finding(10, 11, [{ title: 'suggest', kind: 'suggestion', edits: [edit(10, 11, 'X')] }, { title: 'safe one', kind: 'safe', edits: [edit(10, 11, '9')] }]),
    finding(10, 11, [{ title: 'overlaps', kind: 'safe', edits: [edit(6, 11, 'Y')] }]),
    finding(23, 24, [{ title: 'other file', kind: 'safe', edits: [edit(23, 24, '0'), edit(0, 0, 'z', path.join(os.tmpdir(), 'other.yml'))] }]),
    finding(23, 24, [{ title: 'suggestion only', kind: 'suggestion', edits: [edit(23, 24, '5')] }]),
  ];
  const entry: LintEntry = { uri: doc.uri, file, version: 3, epoch: 0, result: { file, kind: 'handler', findings, problems: [], dependsOn: [] }, diagnostics: [], resultId: 'x' };
  const range = { start: at(0), end: at(0) };
  const actions = codeActions({
    params: { textDocument: { uri: doc.uri }, range, context: { diagnostics: [], only: ['source.fixAll'] } },
    doc, entry, toUri: uriOf, versionOf: () => 3, documentChanges: false, relatedInformation: false,
  });
  assert.deepEqual(actions.map((a) => [a.title, a.kind]), [[FIX_ALL_TITLE, 'source.fixAll.faaslint']]);
  const edits = actions[0].edit!.changes![doc.uri];
  assert.equal(TextDocument.applyEdits(doc, edits), 'const a = 9;\nconst b = 2;\n');
  // Quick fixes at the cursor: preferred first, then ignore and docs; no fix-all outside `source`.
  const quick = codeActions({
    params: { textDocument: { uri: doc.uri }, range: { start: at(10), end: at(10) }, context: { diagnostics: [], only: ['quickfix'] } },
    doc, entry, toUri: uriOf, versionOf: () => 3, documentChanges: false, relatedInformation: false,
  });
  assert.deepEqual(quick.map((a) => a.title), ['suggest', 'safe one', 'overlaps', 'Ignore demo-rule on this line', 'Open documentation for demo-rule']);
  assert.deepEqual(quick.map((a) => a.isPreferred ?? false), [true, false, true, false, false]);
  const ignored = TextDocument.applyEdits(doc, quick[3].edit!.changes![doc.uri]);
  assert.equal(ignored, '// faaslint-ignore demo-rule -- reason\nconst a = 1;\nconst b = 2;\n');
});

test('survives malformed messages, bad params and unknown URIs', async () => {
  const dir = workspace();
  const sls = path.join(dir, 'serverless.yml');
  const s = server();
  await s.initialize(dir, PUSH_CAPS);

  // Not JSON at all, framed correctly.
  const garbage = '{not json';
  s.child.stdin.write(`Content-Length: ${Buffer.byteLength(garbage)}\r\n\r\n${garbage}`);
  // Requests with missing or wrong params.
  assert.deepEqual(await s.conn.sendRequest('textDocument/codeAction', {}), []);
  assert.deepEqual(await s.conn.sendRequest('textDocument/codeAction', { textDocument: { uri: 42 }, range: null, context: null }), []);
  assert.equal(await s.conn.sendRequest('textDocument/hover', { textDocument: null }), null);
  await assert.rejects(s.conn.sendRequest('faaslint/noSuchMethod', {}), /Unhandled method/);
  assert.equal(await s.conn.sendRequest('workspace/executeCommand', { command: 'faaslint.server.openRuleDocs', arguments: [{ evil: true }] }), null);
  // URIs the server does not know: a file that does not exist, other schemes.
  const missing = uriOf(path.join(dir, 'nope', 'serverless.yml'));
  assert.deepEqual(await s.conn.sendRequest('textDocument/codeAction', { textDocument: { uri: missing }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [] } }), []);
  assert.equal(await s.conn.sendRequest('textDocument/hover', { textDocument: { uri: 'untitled:Untitled-1' }, position: { line: 0, character: 0 } }), null);
  await s.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: 'untitled:Untitled-1', languageId: 'yaml', version: 1, text: SLS } });
  await s.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: 'git:/x/serverless.yml?ref=HEAD', languageId: 'yaml', version: 1, text: SLS } });
  await s.conn.sendNotification('textDocument/didChange', { textDocument: { uri: missing }, contentChanges: [{ text: 'x' }] });
  await s.conn.sendNotification('textDocument/didClose', {});
  await s.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: 'nope' });

  // Still alive and still linting.
  await s.open(sls, SLS, 'yaml');
  const d = await s.diagnostics(uriOf(sls), (p) => codes(p.diagnostics).includes(IAM));
  assert.ok(d.diagnostics.length > 0);
  assert.ok(!s.published.some((p) => !p.uri.startsWith('file:')), 'nothing published for non-file URIs');
  assert.equal(s.exitCode, undefined, `server still running; stderr: ${s.stderr}`);
});
