// Links template functions to handler modules: `CodeUri` + `Handler` (`src/x.handler` →
// `src/x.{js,mjs,cjs,ts,mts,cts}`, export `handler`), SAM esbuild entry points, and compiled
// output folders back to their TypeScript sources. Also resolves a module's local imports.
import fs from 'node:fs';
import path from 'node:path';
import type { TemplateModel, FunctionModel } from '../../../rules/template/model';

const EXTS = ['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts'];

export interface HandlerTarget { file: string; exportName: string }

/** What linking asks the file system. */
export interface Probe {
  isFile(p: string): boolean;
  isDir(p: string): boolean;
  /** Does the folder hold JS/TS sources? */
  hasCode(dir: string): boolean;
}

// Most paths asked about do not exist (handler candidates by extension): no exception for those.
function isFile(p: string): boolean {
  try {
    return fs.statSync(p, { throwIfNoEntry: false })?.isFile() ?? false;
  } catch {
    return false;
  }
}

/**
 * A probe that asks the disk once per path: a template with hundreds of functions (and the rules
 * that each look up the same handlers) would otherwise stat the same candidates thousands of
 * times. Lives for one lint, or one audit.
 */
export function memoProbe(): Probe {
  const files = new Map<string, boolean>();
  const dirs = new Map<string, boolean>();
  const code = new Map<string, boolean>();
  const memo = (m: Map<string, boolean>, f: (p: string) => boolean) => (p: string): boolean => {
    let v = m.get(p);
    if (v === undefined) m.set(p, (v = f(p)));
    return v;
  };
  return { isFile: memo(files, isFile), isDir: memo(dirs, isDir), hasCode: memo(code, hasCode) };
}

function withExtension(base: string, exists: (p: string) => boolean): string | undefined {
  if (EXTS.some((e) => base.endsWith(e)) && exists(base)) return base;
  for (const e of EXTS) if (exists(base + e)) return base + e;
  for (const e of EXTS) if (exists(path.join(base, 'index' + e))) return path.join(base, 'index' + e);
  return undefined;
}

/** Where a function's handler lives, if the file exists. */
export function resolveHandler(template: TemplateModel, fn: FunctionModel, exists: (p: string) => boolean = isFile): HandlerTarget | undefined {
  const handler = fn.handler?.value;
  if (!handler || !template.uri) return undefined;
  const runtime = fn.runtime?.value ?? '';
  if (runtime && !/^nodejs/i.test(runtime)) return undefined;
  const dot = handler.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const modulePath = handler.slice(0, dot);
  const exportName = handler.slice(dot + 1);
  const dir = path.join(path.dirname(template.uri), fn.codeDir.startsWith('s3://') ? '' : fn.codeDir);
  const candidates: string[] = [];
  for (const ep of fn.entryPoints) {
    if (path.basename(ep).replace(/\.[cm]?[jt]s$/, '') === path.basename(modulePath)) candidates.push(path.join(dir, ep));
  }
  candidates.push(path.join(dir, modulePath));
  // Compiled output folders: look for the TypeScript source too.
  const m = /^(\.?(?:dist|build|lib|out)|\.build)\/(.*)$/.exec(modulePath.replace(/^\.\//, ''));
  if (m) candidates.push(path.join(dir, 'src', m[2]), path.join(dir, m[2]));
  for (const c of candidates) {
    const f = withExtension(c, exists);
    if (f) return { file: path.normalize(f), exportName };
  }
  return undefined;
}

/** A relative import specifier to a file, or undefined for packages and missing files. */
export function resolveImport(fromFile: string, specifier: string, exists: (p: string) => boolean = isFile): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(fromFile), specifier);
  // TS sources import './x.js' meaning './x.ts'.
  const stripped = base.replace(/\.(m|c)?js$/, '');
  return withExtension(base, exists) ?? (stripped !== base ? withExtension(stripped, exists) : undefined);
}

/**
 * Can a missing handler file be told apart from one produced by a build? Only for Node.js
 * functions whose code folder exists in the workspace and whose handler is a plain relative path.
 */
export function handlerCanBeChecked(
  template: TemplateModel, fn: FunctionModel, exists: (p: string) => boolean = isDir, holdsCode: (dir: string) => boolean = hasCode,
): boolean {
  const handler = fn.handler?.value;
  const runtime = fn.runtime?.value;
  if (!handler || !runtime || !/^nodejs/i.test(runtime) || handler.includes('${')) return false;
  if (fn.codeDir.startsWith('s3://') || /\.(zip|jar)$/i.test(fn.codeDir)) return false;
  const modulePath = handler.slice(0, Math.max(0, handler.lastIndexOf('.')));
  if (!modulePath || /^(\.?(dist|build|lib|out|\.build|\.webpack|\.esbuild))\//.test(modulePath.replace(/^\.\//, ''))) return false;
  // The module's folder must exist and hold JS/TS code: a template shipped without its code (or
  // with code generated elsewhere) is not a missing handler.
  const moduleDir = path.join(path.dirname(template.uri), fn.codeDir, path.dirname(modulePath));
  return exists(moduleDir) && holdsCode(moduleDir);
}

function hasCode(dir: string): boolean {
  try {
    return fs.readdirSync(dir).some((f) => /\.(m|c)?[jt]s$/.test(f) && !/\.d\.[mc]?ts$/.test(f));
  } catch {
    return false;
  }
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false;
  } catch {
    return false;
  }
}
