// Temporary directory trees for tests that lint a workspace on disk.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A new temp directory (real path, so URIs compare equal) holding `files` (relative path → content). */
export function makeTree(files: Record<string, string | Buffer> = {}, prefix = 'faaslint-'): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  writeTree(dir, files);
  return dir;
}

export function writeTree(dir: string, files: Record<string, string | Buffer>): void {
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
}
