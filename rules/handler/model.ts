// What a JS/TS module offers rules: its syntax tree (syntax only, no Program), its exported
// functions (the Lambda handlers), and its imports. Deeper analyses are computed on demand and
// memoised on the model, which the engine caches per file version.
import ts from 'typescript';
import type { ParseProblem } from '../template/yaml';

export interface ExportedFunction {
  /** Export name: `handler`, `default`, … */
  name: string;
  /** The function that runs on invoke (unwrapped from middy/serverless-http when possible). */
  fn: ts.FunctionLikeDeclaration | undefined;
  /** The exported expression or declaration, for ranges. */
  node: ts.Node;
  /** How it is wrapped, e.g. `middy`, `serverless-http`. */
  wrapper?: string;
}

export interface ImportInfo {
  specifier: string;
  /** Local name → imported name ('*' for namespace, 'default' for default). */
  names: Map<string, string>;
  node: ts.Node;
}

export interface HandlerModel {
  uri: string;
  text: string;
  sf: ts.SourceFile;
  problems: ParseProblem[];
  exports: Map<string, ExportedFunction>;
  /** False when exports are built dynamically (`export *`, `Object.assign(exports, …)`, …): a name may exist unseen. */
  exportsComplete: boolean;
  imports: ImportInfo[];
  /** An open editor buffer's version: analyses keep what its next version can reuse (taint/reuse.ts). */
  live?: boolean;
  /** Nested deeper than the builder's limit: not analysed (set by buildHandler). */
  tooDeep?: boolean;
  /** Per-analysis memo (keyed by analysis name). */
  memo: Map<string, unknown>;
}

export function memo<T>(model: HandlerModel, key: string, compute: () => T): T {
  if (model.memo.has(key)) return model.memo.get(key) as T;
  const v = compute();
  model.memo.set(key, v);
  return v;
}
