// The configuration of each workspace folder, and which folder a file belongs to (the innermost
// one containing it). The engine holds one configuration at a time, so the LSP layer sets the
// file's own right before every synchronous call into the engine (see Session.useConfigFor).
import path from 'node:path';
import type { Config } from '../engine/index';

export class FolderConfigs {
  /** Roots, innermost first, so the first match is the folder a file belongs to. */
  private readonly roots: string[];

  constructor(
    /** For files outside every folder. */
    readonly outside: Config,
    private readonly byRoot: ReadonlyMap<string, Config>,
  ) {
    this.roots = [...byRoot.keys()].sort((a, b) => b.length - a.length);
  }

  static single(config: Config): FolderConfigs {
    return new FolderConfigs(config, new Map());
  }

  /** The innermost workspace folder containing `file`, if any. */
  rootOf(file: string): string | undefined {
    return this.roots.find((r) => isInside(file, r));
  }

  configFor(file: string): Config {
    const root = this.rootOf(file);
    return (root && this.byRoot.get(root)) || this.outside;
  }

  /**
   * What auditing (or indexing) one folder uses: its configuration, with the folders nested in
   * it excluded, since they are listed under their own configuration.
   */
  forListing(root: string): Config {
    const config = this.byRoot.get(root) ?? this.outside;
    const nested = this.roots.filter((r) => r !== root && isInside(r, root)).map((r) => `${path.relative(root, r).split(path.sep).join('/')}/**`);
    return nested.length ? { ...config, exclude: [...config.exclude, ...nested] } : config;
  }
}

function isInside(file: string, root: string): boolean {
  return file === root || file.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}
