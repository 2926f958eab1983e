// Tests that spawn dist/server.js build it first when it is missing or older than any source it
// bundles (server, rules, and the JSON tables rules import).
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

export const ROOT = path.resolve(__dirname, '../..');
export const SERVER_BUNDLE = path.join(ROOT, 'dist', 'server.js');

function newest(dir: string): number {
  let t = 0;
  for (const e of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile() && /\.(ts|json)$/.test(e.name)) t = Math.max(t, fs.statSync(path.join(e.parentPath, e.name)).mtimeMs);
  }
  return t;
}

export function ensureServerBuilt(): void {
  const fresh = () => fs.existsSync(SERVER_BUNDLE) && fs.statSync(SERVER_BUNDLE).mtimeMs > Math.max(newest(path.join(ROOT, 'server', 'src')), newest(path.join(ROOT, 'rules')));
  if (fresh()) return;
  try {
    execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
  } catch (e) {
    // Another bundle (the CLI) may fail to build; the server bundle is what these tests need.
    if (!fresh()) throw e;
  }
}
