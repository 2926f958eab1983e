// The workspace audit: index every template first (so handlers know their functions), then
// lint file by file, streaming results and checking cancellation between files.
import { classifyPath } from './classify';
import type { Engine, FileResult } from './engine';
import { listFiles } from './walk';
import { memoProbe } from './linker';

export interface AuditOptions {
  onProgress?: (done: number, total: number, file: string) => void;
  isCancelled?: () => boolean;
}

export interface AuditSummary { files: number; skipped: number; cancelled: boolean }

/**
 * Templates parsed by the index pass stay parsed for the lint pass, up to this much template
 * source (their syntax trees weigh about 20× that); past it they are parsed again when linted.
 */
export const MAX_PINNED_TEMPLATE_CHARS = 2 * 1024 * 1024;

export function* audit(engine: Engine, roots: string[], opts: AuditOptions = {}): Generator<FileResult, AuditSummary> {
  const files = listFiles(roots, { exclude: engine.getConfig().exclude });
  // One look at the disk per path for the whole audit (handler candidates, code folders).
  const probe = memoProbe();
  const pinned = new Set<string>();
  let pinnedChars = 0;
  try {
    for (const f of files) {
      const k = classifyPath(f);
      if (k === 'yaml' || k === 'json') {
        try {
          const template = engine.indexTemplate(f, probe);
          if (template && pinnedChars + template.text.length <= MAX_PINNED_TEMPLATE_CHARS) {
            engine.docs.pin(f);
            pinned.add(f);
            pinnedChars += template.text.length;
          }
        } catch {
          // Linting it below reports what is wrong with it.
        }
      }
      if (opts.isCancelled?.()) return { files: 0, skipped: 0, cancelled: true };
    }
    let done = 0;
    let skipped = 0;
    for (const f of files) {
      if (opts.isCancelled?.()) return { files: done, skipped, cancelled: true };
      let result: FileResult;
      try {
        result = engine.lintFile(f, { probe });
      } catch (e) {
        // One bad file never stops the audit.
        result = { file: f, kind: 'none', findings: [], problems: [], skipped: `internal error: ${(e as Error).message}`, dependsOn: [] };
      }
      if (pinned.delete(f)) engine.docs.unpin(f);
      if (result.skipped) skipped++;
      done++;
      opts.onProgress?.(done, files.length, f);
      yield result;
    }
    return { files: done, skipped, cancelled: false };
  } finally {
    for (const f of pinned) engine.docs.unpin(f);
  }
}
