// Lists the files an audit reads: every candidate under the roots, minus build output,
// dependencies, `.gitignore`d paths and configured excludes. Symlinks are not followed.
import fs from 'node:fs';
import path from 'node:path';
import fg from 'fast-glob';
import ignore, { type Ignore } from 'ignore';
import { classifyPath, SKIP_DIRS } from './classify';

export interface WalkOptions { exclude?: string[] }

export function listFiles(roots: string[], opts: WalkOptions = {}): string[] {
  const out = new Set<string>();
  for (const r of roots) {
    const root = path.resolve(r);
    let st: fs.Stats;
    try {
      st = fs.statSync(root);
    } catch {
      continue;
    }
    if (st.isFile()) {
      out.add(root);
      continue;
    }
    const ig = gitignoreFor(root);
    const entries = fg.sync(['**/*'], {
      cwd: root,
      dot: true,
      onlyFiles: true,
      followSymbolicLinks: false,
      suppressErrors: true,
      ignore: [...SKIP_DIRS.map((d) => `**/${d}/**`), ...(opts.exclude ?? [])],
    });
    for (const rel of entries.sort()) {
      if (classifyPath(rel) === 'other') continue;
      if (ig.ignores(rel)) continue;
      out.add(path.join(root, rel));
    }
  }
  return [...out];
}

/** The root's `.gitignore` (nested ones are read too, scoped to their folder). */
function gitignoreFor(root: string): Ignore {
  const ig = ignore();
  const files = fg.sync(['**/.gitignore'], { cwd: root, dot: true, ignore: SKIP_DIRS.map((d) => `**/${d}/**`), suppressErrors: true });
  for (const rel of files) {
    let text: string;
    try {
      text = fs.readFileSync(path.join(root, rel), 'utf8');
    } catch {
      continue;
    }
    const dir = path.posix.dirname(rel);
    for (const line of text.split(/\r?\n/)) {
      const l = line.trim();
      if (!l || l.startsWith('#')) continue;
      if (dir === '.') ig.add(l);
      else {
        const neg = l.startsWith('!');
        const pat = neg ? l.slice(1) : l;
        const scoped = `${dir}/${pat.startsWith('/') ? pat.slice(1) : pat.includes('/') ? pat : '**/' + pat}`;
        ig.add((neg ? '!' : '') + scoped);
      }
    }
  }
  return ig;
}
