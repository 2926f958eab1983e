// How files are named in reports: relative to the working directory, with `/` separators in
// machine formats so output is the same on every OS.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Path relative to `cwd` for people (native separators); absolute when outside `cwd`'s drive. */
export function displayPath(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  if (rel === '') return path.basename(file);
  return path.isAbsolute(rel) ? file : rel;
}

/** Path relative to `cwd` with forward slashes (JSON). */
export function portablePath(file: string, cwd: string): string {
  return displayPath(file, cwd).split(path.sep).join('/');
}

/** True when `file` lies under `cwd` (so it can be expressed relative to SRCROOT). */
export function isInside(file: string, cwd: string): boolean {
  const rel = path.relative(cwd, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/** A relative URI reference for a file under `cwd`: each segment percent-encoded. */
export function relativeUri(file: string, cwd: string): string {
  return path.relative(cwd, file).split(path.sep).map(encodeURIComponent).join('/');
}

/** The `file:` URI of a directory, ending in `/` as SARIF base URIs must. */
export function directoryUri(dir: string): string {
  const href = pathToFileURL(dir).href;
  return href.endsWith('/') ? href : href + '/';
}

export function fileUri(file: string): string {
  return pathToFileURL(file).href;
}

/** Engine "uris" are file paths; accept a `file:` URI too in case a rule passes one. */
export function asPath(uri: string): string {
  return uri.startsWith('file:') ? fileURLToPath(uri) : uri;
}
