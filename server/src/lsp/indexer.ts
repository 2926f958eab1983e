// Background indexing of every template in the workspace folders, so a handler opened first
// already knows which functions point at it. Runs in slices between other messages; a newer
// run (folders or excludes changed) supersedes an older one.
import { classifyPath, listFiles } from '../engine/index';
import { useConfigFor, type Session } from './session';

const SLICE_MS = 15;

export class TemplateIndexer {
  private generation = 0;

  constructor(private readonly s: Session) {}

  /** Resolves with the number of templates indexed, or undefined when superseded. */
  async run(): Promise<number | undefined> {
    const gen = ++this.generation;
    await new Promise((r) => setImmediate(r)); // let initialize's reply and the first requests go first
    let files: string[];
    try {
      // Each folder with its own excludes.
      files = [...new Set(this.s.roots.flatMap((root) => listFiles([root], { exclude: this.s.configs.forListing(root).exclude })))].filter((f) => {
        const k = classifyPath(f);
        return k === 'yaml' || k === 'json';
      });
    } catch (e) {
      this.s.log(`indexing: cannot list files: ${(e as Error).message}`);
      return 0;
    }
    let templates = 0;
    let slice = Date.now();
    for (const f of files) {
      if (gen !== this.generation) return undefined;
      try {
        useConfigFor(this.s, f);
        if (this.s.engine.indexTemplate(f)) templates++;
      } catch (e) {
        this.s.log(`indexing: ${f}: ${(e as Error).message}`);
      }
      if (Date.now() - slice > SLICE_MS) {
        await new Promise((r) => setImmediate(r));
        slice = Date.now();
      }
    }
    return gen === this.generation ? templates : undefined;
  }
}
