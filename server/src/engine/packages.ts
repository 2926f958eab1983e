// The packages a project declares: the nearest package.json above a file, read through the
// document store (so an unsaved editor buffer counts) and parsed once per version of it.
import path from 'node:path';
import type { DocumentStore } from './documents';
import type { Probe } from './linker';

const MANIFEST = 'package.json';
const FIELDS = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'];
/** Deep enough for monorepos, bounded so a file far below / does not walk the whole path. */
const MAX_LEVELS = 12;

/** Parsed dependency names per package.json, keyed by the document stamp they were read from. */
export type PackageCache = Map<string, { stamp: string; names: ReadonlySet<string> | undefined }>;

/**
 * Dependencies of the nearest package.json above `file`, up to a `.git` folder (the repository
 * root) or the file system root. The package.json read is added to `deps` so editing it re-lints.
 */
export function nearestPackageDependencies(
  docs: DocumentStore, cache: PackageCache, file: string, probe: Probe, deps: Set<string>,
): ReadonlySet<string> | undefined {
  let dir = path.dirname(file);
  for (let level = 0; level < MAX_LEVELS; level++) {
    const manifest = path.join(dir, MANIFEST);
    if (docs.hasOverlay(manifest) || probe.isFile(manifest)) {
      deps.add(manifest);
      return dependenciesOf(docs, cache, manifest);
    }
    const parent = path.dirname(dir);
    if (parent === dir || probe.isDir(path.join(dir, '.git'))) return undefined;
    dir = parent;
  }
  return undefined;
}

function dependenciesOf(docs: DocumentStore, cache: PackageCache, manifest: string): ReadonlySet<string> | undefined {
  const loaded = docs.load(manifest);
  if (!loaded.ok) return undefined;
  const hit = cache.get(manifest);
  if (hit && hit.stamp === loaded.doc.stamp) return hit.names;
  const names = parseDependencies(loaded.doc.text);
  cache.set(manifest, { stamp: loaded.doc.stamp, names });
  return names;
}

/** Names under the dependency fields; undefined for text that is not a JSON object. */
export function parseDependencies(text: string): ReadonlySet<string> | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) return undefined;
  const names = new Set<string>();
  for (const field of FIELDS) {
    const deps = (json as Record<string, unknown>)[field];
    if (deps && typeof deps === 'object' && !Array.isArray(deps)) for (const name of Object.keys(deps)) names.add(name);
  }
  return names;
}
