// The document store: file text from open editors (overlays) or disk, with size and binary
// limits, and the parsed model per file cached by version (overlay) or mtime+size (disk).
import fs from 'node:fs';
import { isMap, isSeq, isPair, isAlias } from 'yaml';
import { buildTemplate } from '../../../rules/template/build';
import { buildHandler } from '../../../rules/handler/build';
import type { ParsedTree } from '../../../rules/handler/reparse';
import { buildDotenv } from '../../../rules/dotenv/model';
import type { TemplateModel } from '../../../rules/template/model';
import type { HandlerModel } from '../../../rules/handler/model';
import type { DotenvModel } from '../../../rules/dotenv/model';
import { buildJsonKeyFile, buildAwsCredentialsFile } from '../../../rules/secrets/keyfile';
import { classifyPath, type FileKind } from './classify';
import { LineIndex } from './positions';

export type Model =
  | { kind: 'template'; template: TemplateModel }
  | { kind: 'handler'; handler: HandlerModel }
  | { kind: 'dotenv'; dotenv: DotenvModel }
  /** Not something faaslint reads; `reason` when it is but could not be analysed. */
  | { kind: 'none'; reason?: string };

export interface Doc {
  file: string;
  text: string;
  /** Overlay version or disk stamp: the cache key. */
  stamp: string;
  /** Built on first use. */
  readonly index: LineIndex;
  /** Parsed on first use (reading a line for a report needs no parse). */
  readonly model: Model;
}

/** Hands an open buffer's last syntax tree to the parse of its next version (see reparse.ts). */
interface TreeRelay { take(file: string): ParsedTree | undefined; keep(file: string, tree: ParsedTree): void }

class LazyDoc implements Doc {
  private lines: LineIndex | undefined;
  private parsed: Model | undefined;
  constructor(readonly file: string, readonly text: string, readonly stamp: string, private readonly kind: FileKind, private readonly relay?: TreeRelay) {}
  get index(): LineIndex { return (this.lines ??= new LineIndex(this.text)); }
  get model(): Model {
    if (!this.parsed) {
      this.parsed = buildModel(this.file, this.kind, this.text, this.relay);
    }
    return this.parsed;
  }
}

export type Loaded = { ok: true; doc: Doc } | { ok: false; file: string; reason: string };

/**
 * Open buffers are always kept; files read from disk stay cached (least recently used first out)
 * while the cache is under `maxCachedChars` of source and `maxCachedDocs` files. A syntax tree
 * weighs 20–40× its source, so a workspace audit never holds every AST at once.
 */
export class DocumentStore {
  private overlays = new Map<string, { text: string; version: number }>();
  /**
   * Per open handler buffer, the tree of the version parsed last, which the next version's parse
   * consumes. Only overlay versions take part: each replaces the one before, so a tree is never
   * read again once handed on (an older version's model is stale by then).
   */
  private trees = new Map<string, ParsedTree>();
  private readonly relay: TreeRelay = {
    take: (file) => {
      const t = this.trees.get(file);
      this.trees.delete(file);
      return t;
    },
    keep: (file, tree) => {
      if (this.overlays.get(file)?.text === tree.text) this.trees.set(file, tree);
    },
  };
  /** Insertion order is recency: a hit moves the entry to the end. */
  private cache = new Map<string, Doc>();
  private cachedChars = 0;
  /** Disk documents kept whatever the budget (the audit pins templates between its two passes). */
  private readonly pinned = new Set<string>();
  maxFileSize = 2 * 1024 * 1024;
  maxCachedChars = 1024 * 1024;
  maxCachedDocs = 250;

  setOverlay(file: string, text: string, version: number): void {
    this.overlays.set(file, { text, version });
  }
  clearOverlay(file: string): void {
    this.overlays.delete(file);
    this.trees.delete(file);
    this.drop(file);
  }
  hasOverlay(file: string): boolean { return this.overlays.has(file); }
  /** Keeps `file`'s document (once loaded) out of eviction until unpinned. */
  pin(file: string): void { this.pinned.add(file); }
  unpin(file: string): void {
    if (this.pinned.delete(file)) this.evict();
  }
  forget(file: string): void { this.drop(file); }
  /** Cached documents, e.g. to find templates already seen. */
  cached(): IterableIterator<Doc> { return this.cache.values(); }
  get size(): number { return this.cache.size; }

  /**
   * The cache key `load` would use for `file` now (overlay version, or disk mtime and size),
   * from one stat and without reading it; 'missing' when it cannot be read as a file.
   */
  stampOf(file: string): string {
    const overlay = this.overlays.get(file);
    if (overlay) return overlayStamp(overlay.version);
    try {
      const st = fs.statSync(file);
      return st.isFile() ? diskStamp(st) : 'missing';
    } catch {
      return 'missing';
    }
  }

  load(file: string): Loaded {
    const kind = classifyPath(file);
    const overlay = this.overlays.get(file);
    let text: string;
    let stamp: string;
    if (overlay) {
      text = overlay.text;
      stamp = overlayStamp(overlay.version);
      if (text.length > this.maxFileSize) return { ok: false, file, reason: `larger than the ${fmtSize(this.maxFileSize)} limit` };
    } else {
      let st: fs.Stats;
      try {
        st = fs.statSync(file);
      } catch {
        this.drop(file);
        return { ok: false, file, reason: 'file not found' };
      }
      if (!st.isFile()) return { ok: false, file, reason: 'not a regular file' };
      stamp = diskStamp(st);
      const hit = this.hit(file, stamp);
      if (hit) return { ok: true, doc: hit };
      if (st.size > this.maxFileSize) return { ok: false, file, reason: `larger than the ${fmtSize(this.maxFileSize)} limit (${fmtSize(st.size)})` };
      let buf: Buffer;
      try {
        buf = fs.readFileSync(file);
      } catch (e) {
        return { ok: false, file, reason: `cannot read: ${(e as NodeJS.ErrnoException).code ?? 'error'}` };
      }
      if (looksBinary(buf)) return { ok: false, file, reason: 'binary file' };
      text = buf.toString('utf8');
      // Editors drop a byte order mark from the text they show and send: so do we, so that columns
      // (and edits of files that are not open) match the editor's view of the file.
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    const hit = this.hit(file, stamp);
    if (hit) return { ok: true, doc: hit };
    const doc = new LazyDoc(file, text, stamp, kind, overlay && kind === 'handler' ? this.relay : undefined);
    this.drop(file);
    this.cache.set(file, doc);
    this.cachedChars += text.length;
    this.evict();
    return { ok: true, doc };
  }

  private hit(file: string, stamp: string): Doc | undefined {
    const hit = this.cache.get(file);
    if (!hit || hit.stamp !== stamp) return undefined;
    this.cache.delete(file);
    this.cache.set(file, hit);
    return hit;
  }

  private drop(file: string): void {
    const d = this.cache.get(file);
    if (!d) return;
    this.cache.delete(file);
    this.cachedChars -= d.text.length;
  }

  /** Oldest disk documents first; open buffers stay. The newest entry always stays. */
  private evict(): void {
    if (this.cachedChars <= this.maxCachedChars && this.cache.size <= this.maxCachedDocs) return;
    let left = this.cache.size;
    for (const [file, d] of this.cache) {
      if (--left <= 0) break;
      if (this.overlays.has(file) || this.pinned.has(file)) continue;
      this.cache.delete(file);
      this.cachedChars -= d.text.length;
      if (this.cachedChars <= this.maxCachedChars && this.cache.size <= this.maxCachedDocs) break;
    }
  }
}

/**
 * Deeper than this (syntax tree levels, or unclosed YAML flow brackets) a file is not analysed:
 * parsers and rules walk trees recursively, and real code and templates stay far below it.
 */
export const MAX_NESTING = 1000;

function buildModel(file: string, kind: FileKind, text: string, relay?: TreeRelay): Model {
  const tooDeep: Model = { kind: 'none', reason: `nested more than ${MAX_NESTING} levels deep` };
  try {
    switch (kind) {
      case 'yaml':
      case 'json': {
        if (flowDepthExceeds(text, MAX_NESTING)) return tooDeep;
        const template = buildTemplate(file, text);
        // The YAML parser reports its own stack overflow as a parse error.
        if (template?.problems.some((p) => /call stack/i.test(p.message))) return tooDeep;
        if (template && yamlDepthExceeds(template.doc.contents, MAX_NESTING)) return tooDeep;
        if (template) return { kind: 'template', template };
        // A JSON file that is not a template is read only when it is a key file (name → value entries).
        const keyFile = kind === 'json' ? buildJsonKeyFile(file, text) : undefined;
        return keyFile ? { kind: 'dotenv', dotenv: keyFile } : { kind: 'none' };
      }
      case 'handler': {
        const handler = buildHandler(file, text, relay?.take(file), MAX_NESTING);
        if (handler.tooDeep) return tooDeep;
        if (relay) {
          handler.live = true;
          relay.keep(file, { text, sf: handler.sf });
        }
        return { kind: 'handler', handler };
      }
      case 'dotenv':
        return { kind: 'dotenv', dotenv: buildDotenv(file, text) };
      case 'aws-credentials':
        return { kind: 'dotenv', dotenv: buildAwsCredentialsFile(file, text) };
      default:
        return { kind: 'none' };
    }
  } catch (e) {
    // Parsers recurse; a stack overflow means nesting past what they handle. Anything else is a
    // parser bug: still never a crash of the lint.
    if (e instanceof RangeError) return tooDeep;
    return { kind: 'none', reason: `cannot be parsed: ${(e as Error)?.message ?? String(e)}` };
  }
}

function yamlDepthExceeds(root: unknown, max: number): boolean {
  const nodes: unknown[] = [root];
  const depths: number[] = [0];
  while (nodes.length) {
    const n = nodes.pop();
    // Scalars and aliases are leaves: only collections are pushed, and count one level below.
    const d = depths.pop()! + 1;
    if (d > max) return true;
    if (!isMap(n) && !isSeq(n)) continue;
    for (const item of n.items as unknown[]) {
      if (isPair(item)) {
        if (isMap(item.key) || isSeq(item.key)) { nodes.push(item.key); depths.push(d); }
        if (isMap(item.value) || isSeq(item.value)) { nodes.push(item.value); depths.push(d); }
      } else if (isMap(item) || isSeq(item)) {
        nodes.push(item);
        depths.push(d);
      }
    }
  }
  return false;
}

/**
 * Unclosed `[`/`{` (outside quotes and comments), checked before parsing: the YAML parser spends
 * seconds failing on thousands of nested flow collections.
 */
function flowDepthExceeds(text: string, max: number): boolean {
  let depth = 0;
  let quote = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quote) {
      if (c === quote) quote = 0;
      else if (c === 10) quote = 0; // be lenient: quotes rarely span lines in flow context
      continue;
    }
    if (c === 91 || c === 123) {
      if (++depth > max) return true;
    } else if (c === 93 || c === 125) {
      if (depth > 0) depth--;
    } else if (c === 34 || c === 39) {
      quote = c;
    } else if (c === 35 && (i === 0 || text.charCodeAt(i - 1) === 32 || text.charCodeAt(i - 1) === 10)) {
      const nl = text.indexOf('\n', i);
      if (nl === -1) break;
      i = nl;
    }
  }
  return false;
}

function looksBinary(buf: Buffer): boolean {
  const n = Math.min(buf.length, 8000);
  for (let i = 0; i < n; i++) if (buf[i] === 0) return true;
  return false;
}

export function fmtSize(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`;
}

// A document's stamp: what the audit compares to know a file is unchanged (one formula for
// `load` and `stampOf`, so the two can never disagree).
function overlayStamp(version: number): string { return `v${version}`; }
function diskStamp(st: fs.Stats): string { return `d${st.mtimeMs}:${st.size}`; }
