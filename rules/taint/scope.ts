// Name resolution without a type checker: the handler is parsed syntax-only, so we walk up the
// lexical scopes ourselves. Declarations are identified by their binding identifier node.
import ts from 'typescript';
import { indexOfSourceFile, inRange, type SyntaxIndex } from '../handler/syntax-index';
import { perTree } from '../handler/tree-cache';
// TypeScript's exports are getters: module-level copies keep hot loops off them.
const {
  forEachChild,
  isArrayBindingPattern,
  isArrowFunction,
  isBindingElement,
  isBlock,
  isCaseBlock,
  isCatchClause,
  isClassDeclaration,
  isClassExpression,
  isClassLike,
  isEnumDeclaration,
  isForInStatement,
  isForOfStatement,
  isForStatement,
  isFunctionDeclaration,
  isFunctionExpression,
  isFunctionLike,
  isIdentifier,
  isImportClause,
  isImportDeclaration,
  isImportEqualsDeclaration,
  isImportSpecifier,
  isModuleBlock,
  isNamespaceImport,
  isObjectBindingPattern,
  isOmittedExpression,
  isParenthesizedExpression,
  isSourceFile,
  isVariableDeclaration,
  isVariableDeclarationList,
  isVariableStatement,
  SyntaxKind,
} = ts;

/**
 * Per tree: identifier → its declaration (null: a global), and scope → the names it declares.
 * The AST is immutable per file version.
 */
const scopeState = perTree(() => ({
  resolved: new Map<ts.Identifier, ts.Identifier | null>(),
  scopes: new Map<ts.Node, Map<string, ts.Identifier>>(),
}));

/** The binding identifier `id` refers to, or undefined for globals and unknown names. */
export function declarationOf(id: ts.Identifier): ts.Identifier | undefined {
  const state = scopeState(id);
  const known = state.resolved.get(id);
  if (known !== undefined) return known ?? undefined;
  let found: ts.Identifier | undefined;
  for (let n: ts.Node | undefined = id.parent; n && !found; n = n.parent) {
    if (isScope(n)) found = declsOf(n, state.scopes).get(id.text);
  }
  state.resolved.set(id, found ?? null);
  return found;
}

// Every identifier resolves by walking up its parents: a kind lookup keeps deep trees (long
// concatenations, else-if chains) cheap.
const NOT_SCOPE = new Set<ts.SyntaxKind>([
  SyntaxKind.BinaryExpression, SyntaxKind.PropertyAccessExpression, SyntaxKind.ElementAccessExpression,
  SyntaxKind.CallExpression, SyntaxKind.ParenthesizedExpression, SyntaxKind.IfStatement,
  SyntaxKind.ExpressionStatement, SyntaxKind.TemplateSpan, SyntaxKind.TemplateExpression,
  SyntaxKind.ConditionalExpression, SyntaxKind.VariableDeclaration, SyntaxKind.VariableDeclarationList,
  SyntaxKind.VariableStatement, SyntaxKind.ReturnStatement, SyntaxKind.AwaitExpression,
  SyntaxKind.ObjectLiteralExpression, SyntaxKind.PropertyAssignment, SyntaxKind.ArrayLiteralExpression,
]);

function isScope(n: ts.Node): boolean {
  if (NOT_SCOPE.has(n.kind)) return false;
  return isSourceFile(n) || isBlock(n) || isModuleBlock(n) || isCaseBlock(n) || isFunctionLike(n) ||
    isForStatement(n) || isForOfStatement(n) || isForInStatement(n) || isCatchClause(n) || isClassLike(n);
}

function declsOf(scope: ts.Node, scopeCache: Map<ts.Node, Map<string, ts.Identifier>>): Map<string, ts.Identifier> {
  let m = scopeCache.get(scope);
  if (m) return m;
  m = new Map();
  const out = m;
  const addName = (name: ts.BindingName | undefined) => {
    if (!name) return;
    for (const id of bindingIdentifiers(name)) if (!out.has(id.text)) out.set(id.text, id);
  };
  const addStatements = (sts: readonly ts.Statement[]) => {
    for (const st of sts) for (const id of statementBindings(st)) if (!out.has(id.text)) out.set(id.text, id);
  };
  if (isSourceFile(scope) || isBlock(scope) || isModuleBlock(scope)) addStatements(scope.statements);
  else if (isCaseBlock(scope)) for (const c of scope.clauses) addStatements(c.statements);
  else if (isFunctionLike(scope)) {
    for (const p of scope.parameters) addName(p.name);
    if ((isFunctionExpression(scope) || isClassExpression(scope)) && scope.name) addName(scope.name);
    // `var` is function-scoped wherever it is written in the body.
    const body = (scope as ts.FunctionLikeDeclaration).body;
    if (body) {
      const index = indexOfSourceFile(scope.getSourceFile());
      if (index) hoistedFromIndex(index, body, addName);
      else hoistedVars(body, addName);
    }
  } else if (isForStatement(scope) || isForOfStatement(scope) || isForInStatement(scope)) {
    const init = scope.initializer;
    if (init && isVariableDeclarationList(init)) for (const d of init.declarations) addName(d.name);
  } else if (isCatchClause(scope)) addName(scope.variableDeclaration?.name);
  else if (isClassExpression(scope) && scope.name) addName(scope.name);
  scopeCache.set(scope, out);
  return out;
}

/** The binding identifiers a statement declares in its block (variables, functions, classes, enums, imports). */
export function statementBindings(st: ts.Statement): ts.Identifier[] {
  if (isVariableStatement(st)) return st.declarationList.declarations.flatMap((d) => bindingIdentifiers(d.name));
  if ((isFunctionDeclaration(st) || isClassDeclaration(st) || isEnumDeclaration(st)) && st.name) return [st.name];
  if (isImportDeclaration(st) && st.importClause) {
    const c = st.importClause;
    const out = c.name ? [c.name] : [];
    if (c.namedBindings) {
      if (isNamespaceImport(c.namedBindings)) out.push(c.namedBindings.name);
      else for (const el of c.namedBindings.elements) out.push(el.name);
    }
    return out;
  }
  if (isImportEqualsDeclaration(st)) return [st.name];
  return [];
}

function hoistedVars(n: ts.Node, add: (name: ts.BindingName) => void): void {
  forEachChild(n, (c) => {
    if (isFunctionLike(c) || isClassLike(c)) return;
    if (isVariableDeclarationList(c) && !(c.flags & ts.NodeFlags.BlockScoped)) for (const d of c.declarations) add(d.name);
    hoistedVars(c, add);
  });
}

/**
 * The same declarations as hoistedVars, in the same order, from the module's index of `var`
 * lists: those inside `body` with no function or class between them and it.
 */
function hoistedFromIndex(index: SyntaxIndex, body: ts.Node, add: (name: ts.BindingName) => void): void {
  for (const list of inRange(index.varLists, body.pos, body.end)) {
    let p: ts.Node | undefined = list.parent;
    while (p && p !== body && !isFunctionLike(p) && !isClassLike(p)) p = p.parent;
    if (p === body) for (const d of list.declarations) add(d.name);
  }
}

export function bindingIdentifiers(name: ts.BindingName): ts.Identifier[] {
  if (isIdentifier(name)) return [name];
  const out: ts.Identifier[] = [];
  for (const el of name.elements) if (!isOmittedExpression(el)) out.push(...bindingIdentifiers(el.name));
  return out;
}

/** The variable declaration, parameter or import a binding identifier belongs to. */
export function declarationNode(id: ts.Identifier): ts.Node {
  let n: ts.Node = id.parent;
  while (isBindingElement(n) || isObjectBindingPattern(n) || isArrayBindingPattern(n)) n = n.parent;
  return n;
}

/** A `const` binding (or an import): its value never changes after initialisation. */
export function isConstBinding(id: ts.Identifier): boolean {
  const d = declarationNode(id);
  if (isVariableDeclaration(d)) return !!(d.parent.flags & ts.NodeFlags.Const);
  return isImportSpecifier(d) || isImportClause(d) || isNamespaceImport(d) || isFunctionDeclaration(d);
}

/** The function a callee expression names, when it is a function declared in this file. */
export function localFunction(callee: ts.Expression): ts.FunctionLikeDeclaration | undefined {
  if (!isIdentifier(callee)) return undefined;
  const decl = declarationOf(callee);
  if (!decl) return undefined;
  const p = decl.parent;
  if (isFunctionDeclaration(p) && p.name === decl && p.body) return p;
  if (isVariableDeclaration(p) && p.name === decl && p.initializer && isConstBinding(decl)) {
    let init = p.initializer;
    while (isParenthesizedExpression(init)) init = init.expression;
    if (isArrowFunction(init) || isFunctionExpression(init)) return init;
  }
  return undefined;
}

/** Is `inner` lexically inside `outer`? */
export function isInside(inner: ts.Node, outer: ts.Node): boolean {
  for (let n: ts.Node | undefined = inner; n; n = n.parent) if (n === outer) return true;
  return false;
}

/** The initializer of a const binding (following `const a = b` aliases is the caller's job). */
export function constInitializer(id: ts.Identifier): ts.Expression | undefined {
  const decl = declarationOf(id);
  if (!decl || !isConstBinding(decl)) return undefined;
  const p = decl.parent;
  return isVariableDeclaration(p) && p.name === decl ? p.initializer : undefined;
}
