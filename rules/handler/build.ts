// Parses a JS/TS module syntax-only and finds its exports and imports.
import ts from 'typescript';
import type { HandlerModel, ExportedFunction, ImportInfo } from './model';
import { fileIndex, emptyIndex, addToIndex } from './syntax-index';
import { parseModule, type ParsedTree } from './reparse';
// TypeScript's exports are getters: module-level copies keep hot loops off them.
const {
  forEachChild,
  isArrowFunction,
  isAsExpression,
  isAwaitExpression,
  isBinaryExpression,
  isCallExpression,
  isElementAccessExpression,
  isExportAssignment,
  isExportDeclaration,
  isExpressionStatement,
  isFunctionDeclaration,
  isFunctionExpression,
  isIdentifier,
  isImportDeclaration,
  isMethodDeclaration,
  isNamedExports,
  isNamespaceImport,
  isNonNullExpression,
  isObjectBindingPattern,
  isObjectLiteralExpression,
  isParenthesizedExpression,
  isPropertyAccessExpression,
  isPropertyAssignment,
  isSatisfiesExpression,
  isShorthandPropertyAssignment,
  isStringLiteral,
  isStringLiteralLike,
  isTypeAssertionExpression,
  isVariableDeclaration,
  isVariableStatement,
  SyntaxKind,
} = ts;

const WRAPPERS = new Set(['middy', 'serverlessHttp', 'serverless', 'sls', 'wrap', 'withSentry', 'captureLambdaHandler']);

export function scriptKind(path: string): ts.ScriptKind {
  if (/\.(tsx)$/.test(path)) return ts.ScriptKind.TSX;
  if (/\.(ts|mts|cts)$/.test(path)) return ts.ScriptKind.TS;
  if (/\.jsx$/.test(path)) return ts.ScriptKind.JSX;
  return ts.ScriptKind.JS;
}

/**
 * The model of a module. `base`, an earlier version of the same file that nothing will read
 * again, lets the parser reuse what the edit did not touch (see reparse.ts). Trees deeper than
 * `maxDepth` set `tooDeep` and are not indexed below that depth.
 */
export function buildHandler(uri: string, text: string, base?: ParsedTree, maxDepth = Infinity): HandlerModel {
  const sf = parseModule(uri, text, scriptKind(uri), base);
  const diags = (sf as unknown as { parseDiagnostics?: ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
  const model: HandlerModel = {
    uri, text, sf,
    problems: diags.slice(0, 20).map((d) => ({
      start: d.start, end: d.start + Math.max(d.length, 1),
      message: ts.flattenDiagnosticMessageText(d.messageText, '\n'), severity: 'error' as const,
    })),
    exports: new Map(), exportsComplete: true, imports: [], memo: new Map(),
  };
  const locals = localFunctions(sf);
  const resolveFn = (e: ts.Expression | undefined, depth = 0): Pick<ExportedFunction, 'fn' | 'wrapper'> => {
    if (!e || depth > 5) return { fn: undefined };
    e = skipOuter(e);
    if (isFunctionExpression(e) || isArrowFunction(e)) return { fn: e };
    if (isIdentifier(e)) {
      const local = locals.get(e.text);
      if (local && (isFunctionDeclaration(local))) return { fn: local };
      if (local && isVariableDeclaration(local)) return resolveFn(local.initializer, depth + 1);
      return { fn: undefined };
    }
    if (isCallExpression(e)) {
      // middy(fn).use(…), serverlessHttp(app), wrap(fn): the first function-ish argument is the handler.
      let call: ts.Expression = e;
      while (isCallExpression(call) && isPropertyAccessExpression(call.expression)) call = call.expression.expression;
      if (isCallExpression(call)) {
        const callee = isIdentifier(call.expression) ? call.expression.text : isPropertyAccessExpression(call.expression) ? call.expression.name.text : '';
        const inner = resolveFn(call.arguments[0], depth + 1);
        const wrapper = WRAPPERS.has(callee) ? (callee === 'serverlessHttp' || callee === 'serverless' || callee === 'sls' ? 'serverless-http' : callee) : callee || undefined;
        return { fn: inner.fn, wrapper };
      }
    }
    return { fn: undefined };
  };
  const add = (name: string, node: ts.Node, expr: ts.Expression | undefined, direct?: ts.FunctionLikeDeclaration) => {
    const r = direct ? { fn: direct } : resolveFn(expr);
    model.exports.set(name, { name, node, ...r });
  };

  for (const st of sf.statements) {
    // ESM exports
    if (isFunctionDeclaration(st) && hasExport(st)) {
      add(hasDefault(st) ? 'default' : st.name?.text ?? 'default', st, undefined, st);
    } else if (isVariableStatement(st) && hasExport(st)) {
      for (const d of st.declarationList.declarations) if (isIdentifier(d.name)) add(d.name.text, d, d.initializer);
    } else if (isExportAssignment(st)) {
      add('default', st, st.expression);
    } else if (isExportDeclaration(st) && st.exportClause && isNamedExports(st.exportClause) && !st.moduleSpecifier) {
      for (const el of st.exportClause.elements) {
        add(el.name.text, el, ts.factory.createIdentifier((el.propertyName ?? el.name).getText(sf)));
      }
    } else if (isExportDeclaration(st)) {
      // Re-exports: `export { handler } from './impl'` names it; `export * from` may name anything.
      if (st.exportClause && isNamedExports(st.exportClause)) for (const el of st.exportClause.elements) model.exports.set(el.name.text, { name: el.name.text, node: el, fn: undefined });
      else model.exportsComplete = false;
    } else if (isExpressionStatement(st) && isBinaryExpression(st.expression) && st.expression.operatorToken.kind === SyntaxKind.EqualsToken) {
      // CommonJS: exports.x = …, module.exports.x = …, module.exports = { … } / fn
      const { left, right } = st.expression;
      const target = cjsTarget(left);
      if (target === '*') {
        const r = skipOuter(right);
        if (isObjectLiteralExpression(r)) {
          for (const p of r.properties) {
            if (isPropertyAssignment(p) && p.name && (isIdentifier(p.name) || isStringLiteral(p.name))) add(p.name.text, p, p.initializer);
            else if (isShorthandPropertyAssignment(p)) add(p.name.text, p, p.name);
            else if (isMethodDeclaration(p) && isIdentifier(p.name)) add(p.name.text, p, undefined, p);
          }
        } else {
          // `module.exports = require('./impl')` or a factory result: names unknown.
          const r2 = skipOuter(right);
          if (!(isFunctionExpression(r2) || isArrowFunction(r2))) model.exportsComplete = false;
          add('default', st, right);
        }
      } else if (target) add(target, st, right);
      else if (isElementAccessExpression(left)) model.exportsComplete = false; // exports[name] = …
    } else if (isExpressionStatement(st) && isCallExpression(st.expression)) {
      // Object.assign(module.exports, …) / Object.defineProperty(exports, …)
      const text = st.expression.expression.getText(sf);
      if (/^Object\.(assign|defineProperty|defineProperties)$/.test(text) && /^(module\.)?exports\b/.test(st.expression.arguments[0]?.getText(sf) ?? '')) model.exportsComplete = false;
    }
  }
  // Imports (ESM and require()) and the shared syntax index, per top-level statement.
  const index = emptyIndex();
  for (const st of sf.statements) {
    const part = statementPart(st, sf, maxDepth);
    if (part.tooDeep) model.tooDeep = true;
    append(index.calls, part.index.calls);
    append(index.catchClauses, part.index.catchClauses);
    append(index.strings, part.index.strings);
    append(index.varLists, part.index.varLists);
    append(index.news, part.index.news);
    append(index.newVars, part.index.newVars);
    append(model.imports, part.imports);
  }
  fileIndex(model, index);
  return model;
}

function append<T>(to: T[], items: readonly T[]): void {
  for (const x of items) to.push(x);
}

/** What one top-level statement adds to the module's index and imports. */
export interface StatementPart {
  index: ReturnType<typeof emptyIndex>;
  imports: ImportInfo[];
  /** Every identifier name in the statement (what it can refer to, see reach.ts). */
  names: Set<string>;
  tooDeep: boolean;
  maxDepth: number;
}

/**
 * Per statement node. A part depends on the statement's own subtree only, and an incremental
 * parse carries untouched statements over whole, so an edit re-walks just the statements it
 * touched.
 */
const parts = new WeakMap<ts.Statement, StatementPart>();

/** A top-level statement's part, once its module's model is built. */
export function partOf(st: ts.Statement): StatementPart | undefined {
  return parts.get(st);
}

function statementPart(st: ts.Statement, sf: ts.SourceFile, maxDepth: number): StatementPart {
  const known = parts.get(st);
  if (known && known.maxDepth === maxDepth) return known;
  const part: StatementPart = { index: emptyIndex(), imports: [], names: new Set(), tooDeep: false, maxDepth };
  // The source file is level 0, its statements level 1.
  let depth = 1;
  const visit = (n: ts.Node): void => {
    if (depth >= maxDepth) {
      part.tooDeep = true;
      return;
    }
    if (n.kind === SyntaxKind.Identifier) part.names.add((n as ts.Identifier).text);
    addToIndex(part.index, n);
    if (isImportDeclaration(n) && isStringLiteral(n.moduleSpecifier)) {
      const names = new Map<string, string>();
      const c = n.importClause;
      if (c?.name) names.set(c.name.text, 'default');
      if (c?.namedBindings) {
        if (isNamespaceImport(c.namedBindings)) names.set(c.namedBindings.name.text, '*');
        else for (const el of c.namedBindings.elements) names.set(el.name.text, (el.propertyName ?? el.name).getText(sf));
      }
      part.imports.push({ specifier: n.moduleSpecifier.text, names, node: n });
    } else if (isVariableDeclaration(n) && n.initializer) {
      const spec = requireSpecifier(n.initializer);
      if (spec !== undefined) {
        const names = new Map<string, string>();
        if (isIdentifier(n.name)) names.set(n.name.text, '*');
        else if (isObjectBindingPattern(n.name)) {
          for (const el of n.name.elements) {
            if (isIdentifier(el.name)) names.set(el.name.text, el.propertyName && isIdentifier(el.propertyName) ? el.propertyName.text : el.name.text);
          }
        }
        part.imports.push({ specifier: spec, names, node: n });
      }
    }
    depth++;
    forEachChild(n, visit);
    depth--;
  };
  visit(st);
  parts.set(st, part);
  return part;
}

/** `require('x')` or `require('x').y` → 'x'. */
export function requireSpecifier(e: ts.Expression): string | undefined {
  e = skipOuter(e);
  if (isPropertyAccessExpression(e)) return requireSpecifier(e.expression);
  if (isCallExpression(e) && isIdentifier(e.expression) && e.expression.text === 'require' && e.arguments.length === 1 && isStringLiteralLike(e.arguments[0])) {
    return e.arguments[0].text;
  }
  return undefined;
}

export function skipOuter(e: ts.Expression): ts.Expression {
  while (isParenthesizedExpression(e) || isAsExpression(e) || isSatisfiesExpression(e) || isNonNullExpression(e) || isTypeAssertionExpression(e) || isAwaitExpression(e)) {
    e = e.expression;
  }
  return e;
}

/** What `left = …` exports in CommonJS: '*' for `module.exports`, the name for `exports.x`, else undefined. */
export function cjsTarget(left: ts.Expression): string | undefined {
  const isModuleExports = (e: ts.Expression) => isPropertyAccessExpression(e) && isIdentifier(e.expression) && e.expression.text === 'module' && e.name.text === 'exports';
  if (isModuleExports(left)) return '*';
  if (isPropertyAccessExpression(left)) {
    const obj = left.expression;
    if ((isIdentifier(obj) && obj.text === 'exports') || isModuleExports(obj)) return left.name.text;
  }
  if (isElementAccessExpression(left) && isStringLiteralLike(left.argumentExpression)) {
    const obj = left.expression;
    if ((isIdentifier(obj) && obj.text === 'exports') || isModuleExports(obj)) return left.argumentExpression.text;
  }
  return undefined;
}

function hasExport(n: ts.Node): boolean {
  return !!ts.canHaveModifiers(n) && !!ts.getModifiers(n)?.some((m) => m.kind === SyntaxKind.ExportKeyword);
}
function hasDefault(n: ts.Node): boolean {
  return !!ts.canHaveModifiers(n) && !!ts.getModifiers(n)?.some((m) => m.kind === SyntaxKind.DefaultKeyword);
}

/** Top-level function declarations and variable declarations by name. */
export function localFunctions(sf: ts.SourceFile): Map<string, ts.FunctionDeclaration | ts.VariableDeclaration> {
  const out = new Map<string, ts.FunctionDeclaration | ts.VariableDeclaration>();
  for (const st of sf.statements) {
    if (isFunctionDeclaration(st) && st.name) out.set(st.name.text, st);
    else if (isVariableStatement(st)) for (const d of st.declarationList.declarations) if (isIdentifier(d.name)) out.set(d.name.text, d);
  }
  return out;
}
