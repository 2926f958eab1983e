// The workspace audit: index every template first (so handlers know their functions), then
// lint file by file, streaming results and checking cancellation between files.
import { classifyPath } from './classify';
import type { Engine, FileResult } from './engine';
import { listFiles } from './walk';

export interface AuditOptions {
  onProgress?: (done: number, total: number, file: string) => void;
  isCancelled?: () => boolean;
}

export interface AuditSummary { files: number; skipped: number; cancelled: boolean }

export function* audit(engine: Engine, roots: string[], opts: AuditOptions = {}): Generator<FileResult, AuditSummary> {
  const files = listFiles(roots, { exclude: engine.getConfig().exclude });
  for (const f of files) {
    const k = classifyPath(f);
    if (k === 'yaml' || k === 'json') engine.indexTemplate(f);
    if (opts.isCancelled?.()) return { files: 0, skipped: 0, cancelled: true };
  }
  let done = 0;
  let skipped = 0;
  for (const f of files) {
    if (opts.isCancelled?.()) return { files: done, skipped, cancelled: true };
    let result: FileResult;
    try {
      result = engine.lintFile(f);
    } catch (e) {
      // One bad file never stops the audit.
      result = { file: f, kind: 'none', findings: [], problems: [], skipped: `internal error: ${(e as Error).message}`, dependsOn: [] };
    }
    if (result.skipped) skipped++;
    done++;
    opts.onProgress?.(done, files.length, f);
    yield result;
  }
  return { files: done, skipped, cancelled: false };
}
