// The real language server (dist/server.js over stdio) against clients that misbehave, beyond
// what test/lsp.test.ts covers: broken framing and non-JSON-RPC payloads, bad document
// positions and versions, URIs that are not files (or not readable), a client that never answers
// any request the server sends (configuration, progress, registrations), and a burst of edits.
import { ensureServerBuilt } from './support/build';
import { LspClient, uriOf } from './support/lspClient';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ClientCapabilities, PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
const IAM = 'iam-no-wildcard-action';
const SLS = `service: demo
provider:
  name: aws
  runtime: nodejs24.x
  iam:
    role:
      statements:
        - Effect: Allow
          Action: 's3:*'
          Resource: '*'
functions:
  api:
    handler: src/api.handler
`;

const dirs: string[] = [];
function workspace(): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'faaslint-lsp-robust-')));
  dirs.push(dir);
  fs.mkdirSync(path.join(dir, 'src'));
  fs.writeFileSync(path.join(dir, 'serverless.yml'), SLS);
  fs.writeFileSync(path.join(dir, 'src', 'api.js'), 'exports.handler = async () => ({ statusCode: 200 });\n');
  return dir;
}

const clients: LspClient[] = [];
before(ensureServerBuilt);
after(async () => {
  await Promise.all(clients.map((c) => c.stop()));
  dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
});
function client(silent = false): LspClient {
  const c = new LspClient({ silent });
  clients.push(c);
  return c;
}

const codes = (p: PublishDiagnosticsParams) => p.diagnostics.map((d) => d.code);
const PUSH: ClientCapabilities = { textDocument: { publishDiagnostics: { versionSupport: true } }, workspace: { configuration: true } };

/** One push client for the tests that do not need their own server (spawning one takes a while). */
let shared: { c: LspClient; dir: string } | undefined;
async function sharedClient(): Promise<{ c: LspClient; dir: string }> {
  if (!shared) {
    const dir = workspace();
    const c = client();
    await c.initialize(dir, PUSH);
    shared = { c, dir };
  }
  return shared;
}

test('malformed framing and payloads that are not JSON-RPC requests', async () => {
  const { c, dir } = await sharedClient();
  for (const body of ['[]', '[1,2', 'null', '"text"', '42', '{}', '{"jsonrpc":"2.0"}', '{"jsonrpc":"2.0","id":7}', '{"jsonrpc":"2.0","method":17,"id":8}',
    '{"jsonrpc":"2.0","id":9,"method":"textDocument/hover","params":"nope"}', '{"jsonrpc":"2.0","id":10,"method":"textDocument/codeAction","params":[1,2,3]}',
    '{"jsonrpc":"1.0","id":11,"method":"textDocument/hover"}', '{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///x.yml","text":42}}}',
    '{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"file:///x.yml","version":"two"},"contentChanges":"all"}}',
    '{"jsonrpc":"2.0","id":12,"result":{"unsolicited":true}}', '\u0000\u0001\u0002']) {
    c.raw(body);
  }
  // Headers the reader has to cope with: extra headers, odd case, a content type.
  const ok = JSON.stringify({ jsonrpc: '2.0', method: '$/setTrace', params: { value: 'off' } });
  c.raw(ok, `content-length: ${Buffer.byteLength(ok)}\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\nX-Extra: 1`);
  // Still serving, and still linting.
  assert.deepEqual((await c.answers('textDocument/codeAction', {})).result, []);
  const sls = path.join(dir, 'serverless.yml');
  await c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf(sls), languageId: 'yaml', version: 1, text: SLS } });
  await c.diagnostics(uriOf(sls), (p) => codes(p).includes(IAM));
  assert.equal(c.exitCode, undefined, `server alive; stderr: ${c.stderr}`);
});

test('bad positions, versions and content changes leave the document usable', async () => {
  const { c, dir } = await sharedClient();
  const sls = path.join(dir, 'edited', 'serverless.yml');
  const uri = uriOf(sls);
  await c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: SLS } });
  await c.diagnostics(uri, (p) => p.version === 1);
  const change = (version: unknown, contentChanges: unknown) => c.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges });
  await change(2, [{ range: { start: { line: 999, character: 5 }, end: { line: 1000, character: 0 } }, text: '# past the end\n' }]);
  await change(3, [{ range: { start: { line: -3, character: -1 }, end: { line: 0, character: 0 } }, text: '' }]);
  await change(4, [{ range: { start: { line: 8, character: 40 }, end: { line: 2, character: 0 } }, text: 'reversed' }]);
  await change(5, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }]);
  await change(6, [null, 7, { text: null }]);
  await change(1, [{ text: 'older: version' }]);
  await c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: 'opened: twice' } });
  // Whatever the document holds now, a full replacement brings it back and it is linted.
  await change(50, [{ text: SLS }]);
  const d = await c.diagnostics(uri, (p) => p.version === 50);
  assert.ok(codes(d).includes(IAM), JSON.stringify(codes(d)));
  assert.deepEqual((await c.answers('textDocument/hover', { textDocument: { uri }, position: { line: 1e9, character: -5 } })).error, undefined);
  const actions = await c.answers('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 1e9, character: 0 }, end: { line: -1, character: 0 } }, context: { diagnostics: [{ range: null, message: 7, data: { ruleId: 1 } }] } });
  assert.equal(actions.error, undefined);
  assert.equal(c.exitCode, undefined, `server alive; stderr: ${c.stderr}`);
});

test('URIs that are not readable files: directories, devices, other schemes, odd encodings', async () => {
  const dir = workspace();
  const c = client();
  await c.initialize(dir, { ...PUSH, textDocument: { ...PUSH.textDocument, diagnostic: {} } });
  const uris = [
    uriOf(dir), uriOf(path.join(dir, 'src')), 'file:///dev/zero', 'file:///dev/stdin', uriOf(path.join(dir, 'missing', 'serverless.yml')),
    'file:///%ZZ%00bad.yml', 'file://server/share/serverless.yml', 'file:relative.yml', `file:///${'a/'.repeat(2000)}x.yml`,
    'untitled:Untitled-3', 'vscode-notebook-cell:/x.ipynb#cell1', 'https://example.com/serverless.yml', '', 'not a uri at all',
  ];
  for (const uri of uris) {
    for (const [method, params] of [
      ['textDocument/diagnostic', { textDocument: { uri } }],
      ['textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 0 } }],
      ['textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [] } }],
    ] as const) {
      const r = await c.answers(method, params);
      assert.ok(r.error === undefined || /cancel/i.test(r.error.message), `${method} ${uri}: ${r.error?.message}`);
    }
    await c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: SLS } });
    await c.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }
  await c.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: uris.map((uri) => ({ uri, type: 2 })) });
  const report = await c.answers('textDocument/diagnostic', { textDocument: { uri: uriOf(path.join(dir, 'serverless.yml')) } });
  assert.ok((report.result as { items: { code?: unknown }[] }).items.some((d) => d.code === IAM));
  assert.equal(c.exitCode, undefined, `server alive; stderr: ${c.stderr}`);
});

test('a client that never answers anything: linting, the audit and commands still complete', async () => {
  const dir = workspace();
  const sls = path.join(dir, 'serverless.yml');
  const c = client(true);
  // Every capability that makes the server ask the client something.
  await c.initialize(dir, {
    textDocument: { publishDiagnostics: { versionSupport: true } },
    workspace: { configuration: true, workspaceFolders: true, didChangeConfiguration: { dynamicRegistration: true }, didChangeWatchedFiles: { dynamicRegistration: true }, diagnostics: { refreshSupport: true } },
    window: { workDoneProgress: true, showDocument: { support: true } },
  });
  await c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf(sls), languageId: 'yaml', version: 1, text: SLS } });
  await c.diagnostics(uriOf(sls), (p) => codes(p).includes(IAM));
  assert.ok(c.ignored.includes('workspace/configuration'), `asked: ${c.ignored}`);
  // The audit asks for a progress token the client never grants: it must not wait forever.
  const audit = await c.answers('faaslint/audit', {}, 15_000);
  assert.equal(audit.error, undefined, audit.error?.message);
  assert.equal((audit.result as { files: number }).files, 2);
  // Configuration changes re-ask for settings (never answered either) and still re-lint.
  const before = c.published.length;
  await c.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
  await c.diagnostics(uriOf(sls), () => c.published.length > before, 15_000);
  assert.equal(c.exitCode, undefined, `server alive; stderr: ${c.stderr}`);
});

test('a burst of edits: diagnostics end at the last version and never go back', async () => {
  const { c, dir } = await sharedClient();
  const sls = path.join(dir, 'burst', 'serverless.yml');
  const uri = uriOf(sls);
  await c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: SLS } });
  for (let v = 2; v <= 150; v++) {
    void c.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: v }, contentChanges: [{ text: v % 2 ? SLS : SLS.replace("'s3:*'", 's3:GetObject') }] });
  }
  const last = await c.diagnostics(uri, (p) => p.version === 150);
  assert.ok(!codes(last).includes(IAM), 'version 150 has no wildcard');
  const versions = c.published.filter((p) => p.uri === uri).map((p) => p.version ?? 0);
  assert.deepEqual(versions, [...versions].sort((a, b) => a - b), `published in order: ${versions}`);
  assert.ok(versions.length < 20, `debounced: ${versions.length} publishes for 150 edits`);
});

test('shutdown, then exit: requests after shutdown are refused, the process ends', async () => {
  const { c, dir } = await sharedClient();
  await c.conn.sendRequest('shutdown');
  const after = await c.answers('textDocument/hover', { textDocument: { uri: uriOf(path.join(dir, 'serverless.yml')) }, position: { line: 0, character: 0 } });
  assert.ok(after.error || after.result === null, 'refused or empty after shutdown');
  await c.conn.sendNotification('exit');
  for (let i = 0; i < 50 && c.exitCode === undefined; i++) await new Promise((r) => setTimeout(r, 50));
  assert.equal(c.exitCode, 0);
});
