// Name resolution without a type checker: the handler is parsed syntax-only, so we walk up the
// lexical scopes ourselves. Declarations are identified by their binding identifier node.
import ts from 'typescript';
import { indexOfSourceFile, inRange, type SyntaxIndex } from '../handler/syntax-index';
import { onTreeReuse } from '../handler/reparse';

let scopeCache = new WeakMap<ts.Node, Map<string, ts.Identifier>>();
onTreeReuse(() => { scopeCache = new WeakMap<ts.Node, Map<string, ts.Identifier>>(); });

/** The binding identifier `id` refers to, or undefined for globals and unknown names. */
export function declarationOf(id: ts.Identifier): ts.Identifier | undefined {
  const known = resolved.get(id);
  if (known !== undefined) return known ?? undefined;
  let found: ts.Identifier | undefined;
  for (let n: ts.Node | undefined = id.parent; n && !found; n = n.parent) {
    if (isScope(n)) found = declsOf(n).get(id.text);
  }
  resolved.set(id, found ?? null);
  return found;
}

/** Identifier → its declaration (null: a global); the AST is immutable per file version. */
let resolved = new WeakMap<ts.Identifier, ts.Identifier | null>();
onTreeReuse(() => { resolved = new WeakMap<ts.Identifier, ts.Identifier | null>(); });

// Every identifier resolves by walking up its parents: a kind lookup keeps deep trees (long
// concatenations, else-if chains) cheap.
const NOT_SCOPE = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.BinaryExpression, ts.SyntaxKind.PropertyAccessExpression, ts.SyntaxKind.ElementAccessExpression,
  ts.SyntaxKind.CallExpression, ts.SyntaxKind.ParenthesizedExpression, ts.SyntaxKind.IfStatement,
  ts.SyntaxKind.ExpressionStatement, ts.SyntaxKind.TemplateSpan, ts.SyntaxKind.TemplateExpression,
  ts.SyntaxKind.ConditionalExpression, ts.SyntaxKind.VariableDeclaration, ts.SyntaxKind.VariableDeclarationList,
  ts.SyntaxKind.VariableStatement, ts.SyntaxKind.ReturnStatement, ts.SyntaxKind.AwaitExpression,
  ts.SyntaxKind.ObjectLiteralExpression, ts.SyntaxKind.PropertyAssignment, ts.SyntaxKind.ArrayLiteralExpression,
]);

function isScope(n: ts.Node): boolean {
  if (NOT_SCOPE.has(n.kind)) return false;
  return ts.isSourceFile(n) || ts.isBlock(n) || ts.isModuleBlock(n) || ts.isCaseBlock(n) || ts.isFunctionLike(n) ||
    ts.isForStatement(n) || ts.isForOfStatement(n) || ts.isForInStatement(n) || ts.isCatchClause(n) || ts.isClassLike(n);
}

function declsOf(scope: ts.Node): Map<string, ts.Identifier> {
  let m = scopeCache.get(scope);
  if (m) return m;
  m = new Map();
  const out = m;
  const addName = (name: ts.BindingName | undefined) => {
    if (!name) return;
    for (const id of bindingIdentifiers(name)) if (!out.has(id.text)) out.set(id.text, id);
  };
  const addStatements = (sts: readonly ts.Statement[]) => {
    for (const st of sts) {
      if (ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) addName(d.name);
      else if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st) || ts.isEnumDeclaration(st)) && st.name) addName(st.name);
      else if (ts.isImportDeclaration(st) && st.importClause) {
        const c = st.importClause;
        if (c.name) addName(c.name);
        if (c.namedBindings) {
          if (ts.isNamespaceImport(c.namedBindings)) addName(c.namedBindings.name);
          else for (const el of c.namedBindings.elements) addName(el.name);
        }
      } else if (ts.isImportEqualsDeclaration(st)) addName(st.name);
    }
  };
  if (ts.isSourceFile(scope) || ts.isBlock(scope) || ts.isModuleBlock(scope)) addStatements(scope.statements);
  else if (ts.isCaseBlock(scope)) for (const c of scope.clauses) addStatements(c.statements);
  else if (ts.isFunctionLike(scope)) {
    for (const p of scope.parameters) addName(p.name);
    if ((ts.isFunctionExpression(scope) || ts.isClassExpression(scope)) && scope.name) addName(scope.name);
    // `var` is function-scoped wherever it is written in the body.
    const body = (scope as ts.FunctionLikeDeclaration).body;
    if (body) {
      const index = indexOfSourceFile(scope.getSourceFile());
      if (index) hoistedFromIndex(index, body, addName);
      else hoistedVars(body, addName);
    }
  } else if (ts.isForStatement(scope) || ts.isForOfStatement(scope) || ts.isForInStatement(scope)) {
    const init = scope.initializer;
    if (init && ts.isVariableDeclarationList(init)) for (const d of init.declarations) addName(d.name);
  } else if (ts.isCatchClause(scope)) addName(scope.variableDeclaration?.name);
  else if (ts.isClassExpression(scope) && scope.name) addName(scope.name);
  scopeCache.set(scope, out);
  return out;
}

function hoistedVars(n: ts.Node, add: (name: ts.BindingName) => void): void {
  ts.forEachChild(n, (c) => {
    if (ts.isFunctionLike(c) || ts.isClassLike(c)) return;
    if (ts.isVariableDeclarationList(c) && !(c.flags & ts.NodeFlags.BlockScoped)) for (const d of c.declarations) add(d.name);
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
    while (p && p !== body && !ts.isFunctionLike(p) && !ts.isClassLike(p)) p = p.parent;
    if (p === body) for (const d of list.declarations) add(d.name);
  }
}

export function bindingIdentifiers(name: ts.BindingName): ts.Identifier[] {
  if (ts.isIdentifier(name)) return [name];
  const out: ts.Identifier[] = [];
  for (const el of name.elements) if (!ts.isOmittedExpression(el)) out.push(...bindingIdentifiers(el.name));
  return out;
}

/** The variable declaration, parameter or import a binding identifier belongs to. */
export function declarationNode(id: ts.Identifier): ts.Node {
  let n: ts.Node = id.parent;
  while (ts.isBindingElement(n) || ts.isObjectBindingPattern(n) || ts.isArrayBindingPattern(n)) n = n.parent;
  return n;
}

/** A `const` binding (or an import): its value never changes after initialisation. */
export function isConstBinding(id: ts.Identifier): boolean {
  const d = declarationNode(id);
  if (ts.isVariableDeclaration(d)) return !!(d.parent.flags & ts.NodeFlags.Const);
  return ts.isImportSpecifier(d) || ts.isImportClause(d) || ts.isNamespaceImport(d) || ts.isFunctionDeclaration(d);
}

/** The function a callee expression names, when it is a function declared in this file. */
export function localFunction(callee: ts.Expression): ts.FunctionLikeDeclaration | undefined {
  if (!ts.isIdentifier(callee)) return undefined;
  const decl = declarationOf(callee);
  if (!decl) return undefined;
  const p = decl.parent;
  if (ts.isFunctionDeclaration(p) && p.name === decl && p.body) return p;
  if (ts.isVariableDeclaration(p) && p.name === decl && p.initializer && isConstBinding(decl)) {
    let init = p.initializer;
    while (ts.isParenthesizedExpression(init)) init = init.expression;
    if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return init;
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
  return ts.isVariableDeclaration(p) && p.name === decl ? p.initializer : undefined;
}
