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

/** Recent conversions: every related location of every diagnostic asks, on every keystroke. */
const uriOfPath = new Map<string, string>();

export function pathToUri(file: string): string {
  let uri = uriOfPath.get(file);
  if (uri === undefined) {
    uri = pathToFileURL(file).href;
    if (uriOfPath.size >= 10_000) uriOfPath.clear();
    uriOfPath.set(file, uri);
  }
  return uri;
}
