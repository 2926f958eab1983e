// A multi-root workspace through the real language server (dist/server.js over stdio): two
// folders, each with its own `.faaslint.yaml` (and the second with folder-level editor settings).
// Each folder's configuration applies to its files only, while typing and in the audit; the audit
// covers both folders and its diagnostics land on the right URIs.
import { ensureServerBuilt } from './support/build';
import { LspClient, uriOf } from './support/lspClient';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ClientCapabilities, Diagnostic } from 'vscode-languageserver-protocol/node';
import { FolderConfigs } from '../server/src/lsp/folderConfigs';
import { DEFAULT_CONFIG, type Config } from '../server/src/engine/index';

const IAM = 'iam-no-wildcard-action';
const SECRET = 'secrets-no-hardcoded';
// Split so secret scanners do not flag this file; the server sees the joined value.
const STRIPE_KEY = 'sk_live_' + '51Hc8tQJ2eZvKYlo2C0dA9xWq';

const sls = (service: string) => `service: ${service}
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
  api:
    handler: src/api.handler
`;
const HANDLER = `const Stripe = require('stripe');
const stripe = Stripe('${STRIPE_KEY}');

exports.handler = async (event) => {
  const { id } = event.pathParameters;
  await stripe.customers.retrieve(id);
  return { statusCode: 200 };
};
`;

let parent = '';
let orders = '';
let billing = '';
const file = (root: string, rel: string) => path.join(root, rel);

function folder(name: string, config: string): string {
  const root = path.join(parent, name);
  fs.mkdirSync(path.join(root, 'src'), { recursive: true });
  fs.writeFileSync(path.join(root, 'serverless.yml'), sls(name));
  fs.writeFileSync(path.join(root, 'src', 'api.js'), HANDLER);
  fs.writeFileSync(path.join(root, '.faaslint.yaml'), config);
  return root;
}

before(() => {
  ensureServerBuilt();
  parent = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'faaslint-multiroot-')));
  // orders: IAM findings off. billing: secrets off, legacy/ excluded; its folder settings make IAM info.
  orders = folder('orders', `rules:\n  ${IAM}: off\n`);
  billing = folder('billing', `rules:\n  ${SECRET}: off\nexclude:\n  - 'legacy/**'\n`);
  fs.mkdirSync(path.join(billing, 'legacy'));
  fs.writeFileSync(path.join(billing, 'legacy', 'serverless.yml'), sls('legacy'));
});

const clients: LspClient[] = [];
after(async () => {
  await Promise.all(clients.map((c) => c.stop()));
  if (parent) fs.rmSync(parent, { recursive: true, force: true });
});

/** Window settings for everyone; billing's folder settings turn the IAM rule down to info. */
function client(): LspClient {
  const c = new LspClient({ settings: (scopeUri) => (scopeUri === uriOf(billing) ? { enable: true, rules: { [IAM]: 'info' } } : { enable: true }) });
  clients.push(c);
  return c;
}

const CAPS: ClientCapabilities = {
  textDocument: { diagnostic: {}, publishDiagnostics: { relatedInformation: true } },
  workspace: { configuration: true, workspaceFolders: true, diagnostics: { refreshSupport: true } },
};
const PUSH: ClientCapabilities = { textDocument: { publishDiagnostics: { versionSupport: true } }, workspace: { configuration: true, workspaceFolders: true } };
const codes = (ds: Diagnostic[]) => ds.map((d) => d.code);

test('each folder lints with its own .faaslint.yaml and folder settings', async () => {
  const c = client();
  await c.initialize([orders, billing], CAPS);
  for (const root of [orders, billing]) {
    await c.open(file(root, 'serverless.yml'), sls(path.basename(root)), 'yaml');
    await c.open(file(root, 'src/api.js'), HANDLER, 'javascript');
  }
  assert.ok(!codes(await c.pull(file(orders, 'serverless.yml'))).includes(IAM), "orders' config turns the IAM rule off");
  // (A pull waits for the settings, so the request has been made by now.)
  const scopes = c.configurationRequests.flatMap((r) => r.items.map((i) => i.scopeUri ?? null));
  assert.deepEqual(scopes, [null, uriOf(orders), uriOf(billing)], 'settings asked for the window and each folder');
  const billingIam = (await c.pull(file(billing, 'serverless.yml'))).filter((d) => d.code === IAM);
  assert.equal(billingIam.length, 1, "orders' config does not reach billing");
  assert.equal(billingIam[0].severity, 3, "billing's folder setting (info) applies");
  assert.ok(codes(await c.pull(file(orders, 'src/api.js'))).includes(SECRET), "billing's config does not reach orders");
  assert.ok(!codes(await c.pull(file(billing, 'src/api.js'))).includes(SECRET), "billing's config turns the secrets rule off");

  // Editing one folder's .faaslint.yaml changes that folder only.
  const seen = c.refreshes;
  fs.writeFileSync(path.join(billing, '.faaslint.yaml'), `exclude:\n  - 'legacy/**'\n`);
  await c.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(path.join(billing, '.faaslint.yaml')), type: 2 }] });
  await c.refreshed(seen);
  assert.ok(codes(await c.pull(file(billing, 'src/api.js'))).includes(SECRET), 'billing re-read: secrets on again');
  assert.ok(!codes(await c.pull(file(orders, 'serverless.yml'))).includes(IAM), 'orders unchanged');
  fs.writeFileSync(path.join(billing, '.faaslint.yaml'), `rules:\n  ${SECRET}: off\nexclude:\n  - 'legacy/**'\n`);
});

test('the audit covers both folders, each with its own configuration, and publishes to the right URIs', async () => {
  const c = client();
  await c.initialize([orders, billing], PUSH);
  const result = (await c.conn.sendRequest('faaslint/audit', {})) as {
    files: number; findings: number; roots: string[]; top: { ruleId: string; uri: string; path: string }[]; markdown: string;
  };
  assert.deepEqual(result.roots, [orders, billing]);
  // .faaslint.yaml, serverless.yml and src/api.js in each; billing/legacy is excluded by billing's config.
  assert.equal(result.files, 6);
  const published = (root: string, rel: string) => c.published.filter((p) => p.uri === uriOf(file(root, rel))).flatMap((p) => codes(p.diagnostics));
  await c.diagnostics(uriOf(file(orders, 'src/api.js')), (p) => codes(p.diagnostics).includes(SECRET));
  await c.diagnostics(uriOf(file(billing, 'serverless.yml')), (p) => p.diagnostics.some((d) => d.code === IAM && d.severity === 3));
  assert.ok(!published(orders, 'serverless.yml').includes(IAM), 'no IAM finding published for orders');
  assert.ok(!published(billing, 'src/api.js').includes(SECRET), 'no secret finding published for billing');
  assert.deepEqual(c.published.filter((p) => p.uri.includes('/legacy/')), [], 'nothing from the excluded folder');
  assert.ok(c.published.every((p) => p.uri.startsWith(uriOf(orders) + '/') || p.uri.startsWith(uriOf(billing) + '/')), 'every URI is in a folder');
  // The report names each finding's folder.
  const secret = result.top.find((t) => t.ruleId === SECRET);
  assert.equal(secret?.path, 'orders/src/api.js');
  assert.equal(secret?.uri, uriOf(file(orders, 'src/api.js')));
  assert.equal(result.top.find((t) => t.ruleId === IAM)?.path, 'billing/serverless.yml');
  // Same totals as auditing each folder on its own with its own configuration.
  const perFolder = await Promise.all([orders, billing].map(async (root) => {
    const single = client();
    await single.initialize(root, PUSH);
    return ((await single.conn.sendRequest('faaslint/audit', {})) as { findings: number }).findings;
  }));
  assert.equal(result.findings, perFolder[0] + perFolder[1], `findings ${result.findings} = ${perFolder.join(' + ')}`);
});

test('folder configurations: the innermost folder wins, nested folders are listed under their own', () => {
  const outer = path.join(os.tmpdir(), 'ws');
  const inner = path.join(outer, 'services', 'api');
  const off: Config = { ...DEFAULT_CONFIG, rules: { [IAM]: 'off' }, exclude: ['dist/**'] };
  const info: Config = { ...DEFAULT_CONFIG, rules: { [IAM]: 'info' }, exclude: [] };
  const configs = new FolderConfigs(DEFAULT_CONFIG, new Map([[outer, off], [inner, info]]));
  assert.equal(configs.configFor(path.join(inner, 'serverless.yml')), info);
  assert.equal(configs.configFor(path.join(outer, 'serverless.yml')), off);
  assert.equal(configs.configFor(path.join(outer + '-other', 'serverless.yml')), DEFAULT_CONFIG, 'a sibling with a common prefix is outside');
  assert.equal(configs.rootOf(path.join(inner, 'src', 'a.js')), inner);
  assert.deepEqual(configs.forListing(outer).exclude, ['dist/**', 'services/api/**']);
  assert.deepEqual(configs.forListing(inner).exclude, []);
});
