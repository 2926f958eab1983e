// One walk over a module's syntax tree, shared by the rules that look for a few node kinds:
// calls, catch clauses and string-like literals, each in source order (the order a recursive
// forEachChild visit meets them). Memoised on the model, so per file version.
import ts from 'typescript';
import { memo, type HandlerModel } from './model';
import { skipOuter } from './build';
// TypeScript's exports are getters: module-level copies keep hot loops off them.
const {
  forEachChild,
  isIdentifier,
  isNewExpression,
  isPropertyAccessExpression,
  SyntaxKind,
} = ts;

export type StringLike = ts.StringLiteral | ts.NoSubstitutionTemplateLiteral | ts.TemplateExpression;

export interface SyntaxIndex {
  calls: readonly ts.CallExpression[];
  catchClauses: readonly ts.CatchClause[];
  /** String literals, no-substitution templates and template expressions. */
  strings: readonly StringLike[];
  /** `var` declaration lists (function-scoped, hoisted). */
  varLists: readonly ts.VariableDeclarationList[];
  /** `new` expressions. */
  news: readonly ts.NewExpression[];
  /** Variables initialised with a `new` expression (`const s3 = new AWS.S3()`). */
  newVars: readonly ts.VariableDeclaration[];
}

/** The memo key buildHandler files the index under (it collects it in its own walk). */
export const SYNTAX_INDEX = 'syntaxIndex';

export function syntaxIndex(model: HandlerModel): SyntaxIndex {
  return memo(model, SYNTAX_INDEX, () => indexSubtree(model.sf));
}

/** Source file → the index buildHandler collected for it, for analyses that hold only nodes. */
const bySourceFile = new WeakMap<ts.SourceFile, SyntaxIndex>();

export function fileIndex(model: HandlerModel, index: SyntaxIndex): void {
  model.memo.set(SYNTAX_INDEX, index);
  bySourceFile.set(model.sf, index);
}

export function indexOfSourceFile(sf: ts.SourceFile): SyntaxIndex | undefined {
  return bySourceFile.get(sf);
}

/** The entries of a list in source order whose node lies in [pos, end) (binary search on pos). */
export function inRange<T extends ts.Node>(list: readonly T[], pos: number, end: number): T[] {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].pos < pos) lo = mid + 1;
    else hi = mid;
  }
  const out: T[] = [];
  for (let i = lo; i < list.length && list[i].pos < end; i++) if (list[i].end <= end) out.push(list[i]);
  return out;
}

/** Is there an entry of the sorted list in [from, to)? (binary search) */
export function anyWithin(sorted: readonly number[], from: number, to: number): boolean {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < from) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length && sorted[lo] < to;
}

/** The name a call is known by: `f` in `f()`, `m` in `a.b.m()`; '' otherwise. */
export function calleeName(call: ts.CallExpression): string {
  const c = call.expression;
  return isPropertyAccessExpression(c) ? c.name.text : isIdentifier(c) ? c.text : '';
}

/** The calls in `node`'s subtree, itself included (subtrees nest by range, so a range test suffices). */
export function callsWithin(index: SyntaxIndex, node: ts.Node): ts.CallExpression[] {
  return inRange(index.calls, node.pos, node.end);
}

export function emptyIndex(): {
  calls: ts.CallExpression[]; catchClauses: ts.CatchClause[]; strings: StringLike[]; varLists: ts.VariableDeclarationList[];
  news: ts.NewExpression[]; newVars: ts.VariableDeclaration[];
} {
  return { calls: [], catchClauses: [], strings: [], varLists: [], news: [], newVars: [] };
}

/** Files one node; called for every node in pre-order. */
export function addToIndex(index: ReturnType<typeof emptyIndex>, n: ts.Node): void {
  switch (n.kind) {
    case SyntaxKind.CallExpression: index.calls.push(n as ts.CallExpression); break;
    case SyntaxKind.CatchClause: index.catchClauses.push(n as ts.CatchClause); break;
    case SyntaxKind.StringLiteral:
    case SyntaxKind.NoSubstitutionTemplateLiteral:
    case SyntaxKind.TemplateExpression:
      index.strings.push(n as StringLike);
      break;
    case SyntaxKind.VariableDeclarationList:
      if (!(n.flags & ts.NodeFlags.BlockScoped)) index.varLists.push(n as ts.VariableDeclarationList);
      break;
    case SyntaxKind.NewExpression: index.news.push(n as ts.NewExpression); break;
    case SyntaxKind.VariableDeclaration: {
      const init = (n as ts.VariableDeclaration).initializer;
      if (init && isNewExpression(skipOuter(init))) index.newVars.push(n as ts.VariableDeclaration);
      break;
    }
  }
}

/** The index of one subtree, for a model built without it (buildHandler files it as it walks). */
export function indexSubtree(root: ts.Node): SyntaxIndex {
  const index = emptyIndex();
  preOrder(root, (n) => { addToIndex(index, n); });
  return index;
}

/**
 * Visits `root` and its subtree in source order (pre-order) with an explicit stack: no recursion
 * on deep trees. Stops when `visit` returns false; true when the whole subtree was visited.
 */
export function preOrder(root: ts.Node, visit: (n: ts.Node) => boolean | void): boolean {
  const stack: ts.Node[] = [root];
  const push = (c: ts.Node) => { stack.push(c); };
  while (stack.length) {
    const n = stack.pop()!;
    if (visit(n) === false) return false;
    // Children are pushed first to last, then turned around in place: the first is popped first.
    const from = stack.length;
    forEachChild(n, push);
    for (let i = from, j = stack.length - 1; i < j; i++, j--) {
      const t = stack[i];
      stack[i] = stack[j];
      stack[j] = t;
    }
  }
  return true;
}
