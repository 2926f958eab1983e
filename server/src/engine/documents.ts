// The document store: file text from open editors (overlays) or disk, with size and binary
// limits, and the parsed model per file cached by version (overlay) or mtime+size (disk).
import fs from 'node:fs';
import { buildTemplate } from '../../../rules/template/build';
import { buildHandler } from '../../../rules/handler/build';
import { buildDotenv } from '../../../rules/dotenv/model';
import type { TemplateModel } from '../../../rules/template/model';
import type { HandlerModel } from '../../../rules/handler/model';
import type { DotenvModel } from '../../../rules/dotenv/model';
import { classifyPath, type FileKind } from './classify';
import { LineIndex } from './positions';

export type Model =
  | { kind: 'template'; template: TemplateModel }
  | { kind: 'handler'; handler: HandlerModel }
  | { kind: 'dotenv'; dotenv: DotenvModel }
  | { kind: 'none' };

export interface Doc {
  file: string;
  text: string;
  /** Overlay version or disk stamp: the cache key. */
  stamp: string;
  index: LineIndex;
  model: Model;
}

export type Loaded = { ok: true; doc: Doc } | { ok: false; file: string; reason: string };

export class DocumentStore {
  private overlays = new Map<string, { text: string; version: number }>();
  private cache = new Map<string, Doc>();
  maxFileSize = 2 * 1024 * 1024;

  setOverlay(file: string, text: string, version: number): void {
    this.overlays.set(file, { text, version });
  }
  clearOverlay(file: string): void {
    this.overlays.delete(file);
    this.cache.delete(file);
  }
  hasOverlay(file: string): boolean { return this.overlays.has(file); }
  forget(file: string): void { this.cache.delete(file); }
  /** Cached documents, e.g. to find templates already seen. */
  cached(): IterableIterator<Doc> { return this.cache.values(); }

  load(file: string): Loaded {
    const kind = classifyPath(file);
    const overlay = this.overlays.get(file);
    let text: string;
    let stamp: string;
    if (overlay) {
      text = overlay.text;
      stamp = `v${overlay.version}`;
      if (text.length > this.maxFileSize) return { ok: false, file, reason: `larger than the ${fmtSize(this.maxFileSize)} limit` };
    } else {
      let st: fs.Stats;
      try {
        st = fs.statSync(file);
      } catch {
        return { ok: false, file, reason: 'file not found' };
      }
      if (!st.isFile()) return { ok: false, file, reason: 'not a regular file' };
      stamp = `d${st.mtimeMs}:${st.size}`;
      const hit = this.cache.get(file);
      if (hit && hit.stamp === stamp) return { ok: true, doc: hit };
      if (st.size > this.maxFileSize) return { ok: false, file, reason: `larger than the ${fmtSize(this.maxFileSize)} limit (${fmtSize(st.size)})` };
      let buf: Buffer;
      try {
        buf = fs.readFileSync(file);
      } catch (e) {
        return { ok: false, file, reason: `cannot read: ${(e as NodeJS.ErrnoException).code ?? 'error'}` };
      }
      if (looksBinary(buf)) return { ok: false, file, reason: 'binary file' };
      text = buf.toString('utf8');
      if (text.charCodeAt(0) === 0xfeff) text = ' ' + text.slice(1); // keep offsets: BOM becomes a space
    }
    const hit = this.cache.get(file);
    if (hit && hit.stamp === stamp) return { ok: true, doc: hit };
    const doc: Doc = { file, text, stamp, index: new LineIndex(text), model: buildModel(file, kind, text) };
    this.cache.set(file, doc);
    return { ok: true, doc };
  }
}

function buildModel(file: string, kind: FileKind, text: string): Model {
  switch (kind) {
    case 'yaml':
    case 'json': {
      const template = buildTemplate(file, text);
      return template ? { kind: 'template', template } : { kind: 'none' };
    }
    case 'handler':
      return { kind: 'handler', handler: buildHandler(file, text) };
    case 'dotenv':
      return { kind: 'dotenv', dotenv: buildDotenv(file, text) };
    default:
      return { kind: 'none' };
  }
}

function looksBinary(buf: Buffer): boolean {
  const n = Math.min(buf.length, 8000);
  for (let i = 0; i < n; i++) if (buf[i] === 0) return true;
  return false;
}

export function fmtSize(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`;
}
