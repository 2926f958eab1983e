// Bundles the extension client, the language server and the CLI into dist/ with esbuild.
// TypeScript (the engine parses handlers with it at run time) is bundled once, minified, into
// dist/typescript.js and shared by the server and the CLI: the .vsix ships no node_modules, and one
// copy instead of two keeps it small. That chunk is rebuilt only when the TypeScript version changes.
//
// Usage: node scripts/build.mjs [--watch]
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { sharedTypescript } from './shared-typescript.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const watch = process.argv.includes('--watch');
const require = createRequire(import.meta.url);

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  absWorkingDir: root,
};

/** Every `import ts from 'typescript'` reads `./typescript.js`, next to the bundle, through one module. */
const sharedTs = sharedTypescript('./typescript.js');

const entries = [
  { in: 'client/src/extension.ts', out: 'dist/client.js', external: ['vscode'] },
  { in: 'server/src/lsp/main.ts', out: 'dist/server.js', plugins: [sharedTs] },
  { in: 'server/src/cli/main.ts', out: 'dist/cli.js', plugins: [sharedTs] },
];

async function buildTypescriptChunk() {
  const pkg = require('typescript/package.json');
  const out = path.join(dist, 'typescript.js');
  const stamp = path.join(dist, '.typescript-version');
  const version = `${pkg.version}+plain-exports`;
  if (fs.existsSync(out) && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === version) return false;
  await esbuild.build({
    entryPoints: [require.resolve('typescript')],
    outfile: out,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
    // TypeScript's CommonJS exports are getters: every `ts.isIdentifier(…)` or `ts.SyntaxKind.X`
    // in the engine's hot loops called one (~30 ns each, a large share of the taint analysis).
    // Once the module has initialised, replace them with plain properties holding the same values.
    footer: { js: 'module.exports = Object.assign({}, module.exports);' },
  });
  fs.writeFileSync(stamp, version);
  return true;
}

/** dist/THIRD-PARTY-NOTICES.txt: the license of every package bundled (MIT and co. ask for it). */
function writeNotices(inputs) {
  const dirs = new Set(['node_modules/typescript']);
  for (const input of inputs) {
    // The innermost node_modules: nested copies (other versions) are listed on their own.
    const i = input.lastIndexOf('node_modules/');
    if (i < 0) continue;
    const parts = input.slice(i + 'node_modules/'.length).split('/');
    dirs.add(input.slice(0, i) + 'node_modules/' + (parts[0].startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]));
  }
  const sections = [];
  for (const dir of [...dirs].sort()) {
    const abs = path.join(root, dir);
    let pkg;
    try {
      pkg = JSON.parse(fs.readFileSync(path.join(abs, 'package.json'), 'utf8'));
    } catch {
      continue;
    }
    const file = fs.readdirSync(abs).find((f) => /^(licen[cs]e|copying)/i.test(f));
    const text = file ? fs.readFileSync(path.join(abs, file), 'utf8').trim() : `License: ${pkg.license ?? 'see the package'}`;
    sections.push(`${pkg.name} ${pkg.version} (${pkg.license ?? 'unknown'})\n${'-'.repeat(60)}\n${text}`);
  }
  const header = 'faaslint bundles the following packages into dist/. Their licenses follow.\n\n';
  fs.writeFileSync(path.join(dist, 'THIRD-PARTY-NOTICES.txt'), header + sections.join('\n\n\n') + '\n');
}

async function main() {
  const started = Date.now();
  fs.mkdirSync(dist, { recursive: true });
  const present = entries.filter((e) => {
    if (fs.existsSync(path.join(root, e.in))) return true;
    console.log(`build: skipping ${e.out}: ${e.in} does not exist yet`);
    return false;
  });
  const options = present.map((e) => ({
    ...common,
    entryPoints: [e.in],
    outfile: e.out,
    external: e.external ?? [],
    plugins: e.plugins ?? [],
  }));
  const tsBuilt = buildTypescriptChunk();
  if (watch) {
    const contexts = await Promise.all(options.map((o) => esbuild.context({ ...o, logLevel: 'info' })));
    await tsBuilt;
    await Promise.all(contexts.map((c) => c.watch()));
    console.log('build: watching for changes');
    return;
  }
  const results = await Promise.all(options.map((o) => esbuild.build({ ...o, metafile: true })));
  writeNotices(results.flatMap((r) => Object.keys(r.metafile.inputs)));
  const outs = [...present.map((e) => e.out), ...((await tsBuilt) ? ['dist/typescript.js'] : [])];
  console.log(`build: ${outs.join(', ')} in ${Date.now() - started} ms`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
