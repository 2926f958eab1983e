// The VS Code client's manifest: declared behaviour for untrusted and virtual workspaces (with
// descriptions, and the README saying the same), settings a multi-root workspace can set per
// folder, and the two diagnostic collections' names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  capabilities: {
    untrustedWorkspaces: { supported: boolean | 'limited'; description?: string; restrictedConfigurations?: string[] };
    virtualWorkspaces: { supported: boolean | 'limited'; description?: string };
  };
  contributes: { configuration: { properties: Record<string, { scope?: string; description?: string }> } };
};
const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const settings = pkg.contributes.configuration.properties;

test('untrusted workspaces: limited support, described, and its restricted settings exist', () => {
  const u = pkg.capabilities.untrustedWorkspaces;
  assert.equal(u.supported, 'limited');
  assert.match(u.description ?? '', /\.faaslint\.yaml/);
  assert.ok(u.restrictedConfigurations?.length);
  for (const key of u.restrictedConfigurations ?? []) assert.ok(settings[key], `${key} is a contributed setting`);
  // The client sends the trust state; the server skips .faaslint.yaml when untrusted (test/lsp.test.ts).
  assert.match(fs.readFileSync(path.join(ROOT, 'client/src/extension.ts'), 'utf8'), /workspaceTrusted: vscode\.workspace\.isTrusted/);
  assert.match(readme, /Restricted \(untrusted\) workspaces: supported, with one limit/);
});

test('virtual workspaces: not supported, described, and the README says why', () => {
  const v = pkg.capabilities.virtualWorkspaces;
  assert.equal(v.supported, false);
  assert.ok((v.description ?? '').length > 20);
  assert.match(readme, /Virtual workspaces \([^)]*\) are not supported/);
});

test('rules and excludes can be set per folder of a multi-root workspace; every setting is described', () => {
  assert.equal(settings['faaslint.rules'].scope, 'resource');
  assert.equal(settings['faaslint.exclude'].scope, 'resource');
  for (const [key, s] of Object.entries(settings)) assert.ok(s.description, `${key} has a description`);
});

test('pushed (audit) and pulled (editor) diagnostics go to collections with different names', () => {
  const client = fs.readFileSync(path.join(ROOT, 'client/src/extension.ts'), 'utf8');
  const server = fs.readFileSync(path.join(ROOT, 'server/src/lsp/server.ts'), 'utf8');
  const pushed = /diagnosticCollectionName: '([^']+)'/.exec(client)?.[1];
  const pulled = /diagnosticProvider: \{ identifier: '([^']+)'/.exec(server)?.[1];
  assert.ok(pushed && pulled, 'both names are set explicitly');
  assert.notEqual(pushed, pulled);
});
