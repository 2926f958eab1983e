// The injection grammar that highlights `faaslint-ignore` directives inside comments, tokenized
// with VS Code's own TextMate engine over minimal host grammars (YAML-like `#`, JS-like `//`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vsctm from 'vscode-textmate';
import * as oniguruma from 'vscode-oniguruma';

const ROOT = path.join(__dirname, '..');
const injection = JSON.parse(fs.readFileSync(path.join(ROOT, 'syntaxes/faaslint-ignore.injection.json'), 'utf8'));
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

const hosts: Record<string, object> = {
  // Comments are begin/end rules, as in VS Code's YAML and TypeScript grammars: the engine scans
  // inside them, which is where injections apply.
  'source.yaml': { scopeName: 'source.yaml', patterns: [{ begin: '#', end: '$', name: 'comment.line.number-sign.yaml' }, { match: "'[^']*'", name: 'string.quoted.single.yaml' }] },
  'source.ts': { scopeName: 'source.ts', patterns: [{ begin: '//', end: '$', name: 'comment.line.double-slash.ts' }, { begin: '/\\*', end: '\\*/', name: 'comment.block.ts' }, { match: "'[^']*'", name: 'string.quoted.single.ts' }] },
};

async function registry(): Promise<vsctm.Registry> {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm')).buffer;
  await oniguruma.loadWASM(wasm);
  return new vsctm.Registry({
    onigLib: Promise.resolve({ createOnigScanner: (p: string[]) => new oniguruma.OnigScanner(p), createOnigString: (s: string) => new oniguruma.OnigString(s) }),
    loadGrammar: async (scope) => (scope === injection.scopeName ? vsctm.parseRawGrammar(JSON.stringify(injection), 'x.json') : hosts[scope] ? vsctm.parseRawGrammar(JSON.stringify(hosts[scope]), 'x.json') : null),
    getInjections: (scope) => (hosts[scope] ? [injection.scopeName] : undefined),
  });
}

function tokens(grammar: vsctm.IGrammar, line: string): Array<[string, string]> {
  return grammar.tokenizeLine(line, vsctm.INITIAL).tokens
    .map((t): [string, string] => [line.slice(t.startIndex, t.endIndex), t.scopes.filter((s) => s.endsWith('.faaslint')).join(' ')])
    .filter(([, s]) => s);
}

test('the manifest injects the grammar into YAML, JavaScript and TypeScript', () => {
  const g = pkg.contributes.grammars.find((x: { scopeName: string }) => x.scopeName === injection.scopeName);
  assert.ok(g && fs.existsSync(path.join(ROOT, g.path)));
  for (const s of ['source.yaml', 'source.js', 'source.ts']) assert.ok(g.injectTo.includes(s), s);
});

test('directives in comments: keyword, rule ids and reason get their scopes', async () => {
  const reg = await registry();
  const yaml = (await reg.loadGrammar('source.yaml'))!;
  assert.deepEqual(tokens(yaml, "  Action: '*'  # faaslint-ignore iam-no-wildcard-action -- break-glass role"), [
    ['faaslint-ignore', 'keyword.control.directive.faaslint'],
    ['iam-no-wildcard-action', 'entity.name.tag.rule-id.faaslint'],
    ['--', 'punctuation.separator.faaslint'],
    ['break-glass role', 'string.unquoted.reason.faaslint'],
  ]);
  const ts = (await reg.loadGrammar('source.ts'))!;
  assert.deepEqual(tokens(ts, '/* faaslint-ignore-file secrets-no-hardcoded, iam-missing-action */'), [
    ['faaslint-ignore-file', 'keyword.control.directive.faaslint'],
    ['secrets-no-hardcoded, iam-missing-action', 'entity.name.tag.rule-id.faaslint'],
  ]);
});

test('not inside strings or code', async () => {
  const reg = await registry();
  const ts = (await reg.loadGrammar('source.ts'))!;
  assert.deepEqual(tokens(ts, "const s = 'faaslint-ignore iam-no-wildcard-action';"), []);
  const yaml = (await reg.loadGrammar('source.yaml'))!;
  assert.deepEqual(tokens(yaml, 'faaslint-ignore: true'), []);
});
