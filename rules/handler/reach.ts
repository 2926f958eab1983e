// What a function can reach by name: its own top-level statement, the top-level declarations it
// names, and theirs, transitively. A syntactic over-approximation (a local that shadows a
// module-level name still pulls the declaration in), so what is outside it cannot run when the
// function does. Used to tell which handlers of a shared module a call belongs to, and which
// stored taint results an edit can affect.
import ts from 'typescript';
import { statementBindings } from '../taint/scope';
import { partOf, cjsTarget } from './build';
// TypeScript's exports are getters: module-level copies keep hot loops off them.
const {
  forEachChild,
  isBinaryExpression,
  isExpressionStatement,
  isIdentifier,
  isObjectLiteralExpression,
  isSourceFile,
  isStringLiteral,
  SyntaxKind,
} = ts;

/** Per top-level statement (its subtree only, so it survives incremental parses): names it mentions. */
const mentions = new WeakMap<ts.Node, Set<string>>();

export function namesIn(st: ts.Node): Set<string> {
  // Collected by the model's own walk (build.ts), when the statement is indexed whole.
  const part = partOf(st as ts.Statement);
  if (part && !part.tooDeep) return part.names;
  let out = mentions.get(st);
  if (out) return out;
  const found = new Set<string>();
  const visit = (n: ts.Node): void => {
    if (isIdentifier(n)) found.add(n.text);
    else forEachChild(n, visit);
  };
  visit(st);
  mentions.set(st, (out = found));
  return out;
}

/**
 * The names a top-level statement declares in module scope; for CommonJS, `exports.x = …` and
 * `module.exports = { x, … }` define what `exports.x(…)` and `module.exports.x(…)` call.
 */
export function declaredNames(st: ts.Statement): string[] {
  if (isExpressionStatement(st) && isBinaryExpression(st.expression) && st.expression.operatorToken.kind === SyntaxKind.EqualsToken) {
    const { left, right } = st.expression;
    const target = cjsTarget(left);
    if (target === '*') {
      return isObjectLiteralExpression(right) ? right.properties.flatMap((p) => (p.name && (isIdentifier(p.name) || isStringLiteral(p.name)) ? [p.name.text] : [])) : [];
    }
    return target ? [target] : [];
  }
  return statementBindings(st).map((id) => id.text);
}

/** The top-level statement holding `n`. */
export function topStatement(n: ts.Node): ts.Node {
  while (n.parent && !isSourceFile(n.parent)) n = n.parent;
  return n;
}

/** The top-level statement whose range holds `pos` (binary search), if any. */
export function statementAt(sf: ts.SourceFile, pos: number): ts.Statement | undefined {
  const sts = sf.statements;
  let lo = 0;
  let hi = sts.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (sts[mid].end <= pos) lo = mid + 1;
    else if (sts[mid].pos > pos) hi = mid - 1;
    else return sts[mid];
  }
  return undefined;
}

/** Per file version: name → the top-level statements declaring it. */
const declarers = new WeakMap<ts.SourceFile, Map<string, ts.Statement[]>>();

export interface Reach {
  /** The top-level statements reachable from the function. */
  statements: Set<ts.Node>;
  /** Every name those statements mention. */
  readonly names: Set<string>;
}

/** The top-level statements reachable from `fn` by name, transitively, and the names they mention. */
export function reach(sf: ts.SourceFile, fn: ts.Node): Reach {
  let known = reached.get(sf);
  if (!known) reached.set(sf, (known = new Map()));
  let r = known.get(fn);
  if (!r) known.set(fn, (r = compute(sf, fn)));
  return r;
}

/** Per file version and function (the taint prefilter, the taint reuse and IAM rules all ask). */
const reached = new WeakMap<ts.SourceFile, Map<ts.Node, Reach>>();

function compute(sf: ts.SourceFile, fn: ts.Node): Reach {
  let byName = declarers.get(sf);
  if (!byName) {
    byName = new Map();
    for (const st of sf.statements) for (const n of declaredNames(st)) byName.set(n, [...(byName.get(n) ?? []), st]);
    declarers.set(sf, byName);
  }
  const statements = new Set<ts.Node>([topStatement(fn)]);
  const queue = [...statements];
  while (queue.length) {
    for (const n of namesIn(queue.pop()!)) {
      const sts = byName.get(n);
      if (!sts) continue;
      for (const st of sts) {
        if (!statements.has(st)) {
          statements.add(st);
          queue.push(st);
        }
      }
    }
  }
  // The names, for open buffers only (the taint reuse): built when first asked.
  let names: Set<string> | undefined;
  return {
    statements,
    get names() {
      if (!names) {
        names = new Set();
        for (const st of statements) for (const n of namesIn(st)) names.add(n);
      }
      return names;
    },
  };
}
