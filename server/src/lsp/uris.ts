// file: URIs ↔ the absolute paths the engine uses as file ids. Other schemes (untitled:, git:,
// vscode-notebook-cell:, …) have no file on disk to link against, so they map to undefined.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export function uriToPath(uri: unknown): string | undefined {
  if (typeof uri !== 'string' || !/^file:/i.test(uri)) return undefined;
  try {
    return path.resolve(fileURLToPath(uri));
  } catch {
    return undefined; // e.g. file://remote-host/share on POSIX
  }
}

export function pathToUri(file: string): string {
  return pathToFileURL(file).href;
}
