// Which module member an expression stands for: `cp.exec`, `require('child_process').exec`,
// `import { exec as run } from 'node:child_process'`, `const { exec } = cp`, `promisify(exec)`.
// Sinks and sanitizers are named by module member, so every import style resolves the same way.
import ts from 'typescript';
import { declarationOf, constInitializer } from './scope';
import { treeMap } from '../handler/tree-cache';
// TypeScript's exports are getters: module-level copies keep hot loops off them.
const {
  isAwaitExpression,
  isBindingElement,
  isCallExpression,
  isElementAccessExpression,
  isExternalModuleReference,
  isIdentifier,
  isImportClause,
  isImportDeclaration,
  isImportEqualsDeclaration,
  isImportSpecifier,
  isNamespaceImport,
  isNewExpression,
  isObjectBindingPattern,
  isParameter,
  isPropertyAccessExpression,
  isQualifiedName,
  isStringLiteral,
  isStringLiteralLike,
  isTypeReferenceNode,
  isVariableDeclaration,
  SyntaxKind,
} = ts;

export interface ModuleRef {
  /** Normalised specifier: `node:` stripped (`child_process`, `path`, `execa`, `./lib/run`). */
  module: string;
  /** Member path inside the module; [] for the module itself (a default import counts as it). */
  path: string[];
  /** Wrapped in util.promisify: same input, different calling convention. */
  promisified?: boolean;
}

const MAX_ALIAS = 8;

export function normaliseModule(spec: string): string {
  return spec.replace(/^node:/, '');
}

/** The module member `e` refers to, or undefined when it is not (provably) an import. */
export function moduleRef(e: ts.Expression, depth = 0): ModuleRef | undefined {
  if (depth > MAX_ALIAS) return undefined;
  if (depth === 0) {
    // Sinks, sanitizers and calls all ask about the same callees: resolve each node once.
    const refs = refCache(e);
    const known = refs.get(e);
    if (known !== undefined) return known ?? undefined;
    const r = moduleRef(e, 1);
    refs.set(e, r ?? null);
    return r;
  }
  e = skipParens(e);
  if (isIdentifier(e)) return identifierRef(e);
  if (isPropertyAccessExpression(e)) {
    const base = moduleRef(e.expression, depth + 1);
    return base && { ...base, path: [...base.path, e.name.text] };
  }
  if (isElementAccessExpression(e) && isStringLiteralLike(e.argumentExpression)) {
    const base = moduleRef(e.expression, depth + 1);
    return base && { ...base, path: [...base.path, e.argumentExpression.text] };
  }
  if (isCallExpression(e)) {
    const spec = requireOf(e);
    if (spec !== undefined) return { module: normaliseModule(spec), path: [] };
    // util.promisify(x): the same function behind a promise.
    const callee = moduleRef(e.expression, depth + 1);
    if (callee && callee.module === 'util' && callee.path.join('.') === 'promisify' && e.arguments[0]) {
      const inner = moduleRef(e.arguments[0], depth + 1);
      return inner && { ...inner, promisified: true };
    }
    // `fn.bind(obj)` keeps the function.
    if (isPropertyAccessExpression(e.expression) && e.expression.name.text === 'bind') return moduleRef(e.expression.expression, depth + 1);
  }
  return undefined;
}

const refCache = treeMap<ts.Expression, ModuleRef | null>();

/**
 * Per declaration: every use of `ddb` or `exec` resolves through the same declaration, whose
 * initializer chain (`DynamoDBDocumentClient.from(new DynamoDBClient())`, a require) is followed
 * once. 'pending' while it is being followed: an alias cycle resolves to nothing.
 */
const declRefCache = treeMap<ts.Identifier, ModuleRef | null | 'pending'>();

function identifierRef(id: ts.Identifier): ModuleRef | undefined {
  const decl = declarationOf(id);
  if (!decl) return undefined;
  const declRefs = declRefCache(decl);
  const known = declRefs.get(decl);
  if (known === 'pending') return undefined;
  if (known !== undefined) return known ?? undefined;
  declRefs.set(decl, 'pending');
  const r = declarationRef(decl, 1);
  declRefs.set(decl, r ?? null);
  return r;
}

function declarationRef(decl: ts.Identifier, depth: number): ModuleRef | undefined {
  const p = decl.parent;
  if (isImportSpecifier(p)) return fromImport(p.parent.parent.parent, [(p.propertyName ?? p.name).text]);
  if (isImportClause(p)) return fromImport(p.parent, []);
  if (isNamespaceImport(p)) return fromImport(p.parent.parent, []);
  if (isImportEqualsDeclaration(p) && isExternalModuleReference(p.moduleReference) && isStringLiteral(p.moduleReference.expression)) {
    return { module: normaliseModule(p.moduleReference.expression.text), path: [] };
  }
  // `const { exec: run } = require('child_process')` / `= cp`
  if (isBindingElement(p) && isObjectBindingPattern(p.parent)) {
    const key = p.propertyName ?? p.name;
    const keyText = isIdentifier(key) || isStringLiteralLike(key) ? key.text : undefined;
    const vd = p.parent.parent;
    if (!keyText || !isVariableDeclaration(vd) || !vd.initializer) return undefined;
    const base = moduleRef(vd.initializer, depth + 1);
    return base && { ...base, path: [...base.path, keyText] };
  }
  // `var cp = require('child_process')` is as common as const; module aliases are rarely reassigned.
  const init = isVariableDeclaration(p) && p.name === decl ? p.initializer : undefined;
  return init ? moduleRef(init, depth + 1) : undefined;
}

function fromImport(decl: ts.ImportDeclaration | ts.JSDocImportTag, path: string[]): ModuleRef | undefined {
  if (!isImportDeclaration(decl) || !isStringLiteral(decl.moduleSpecifier)) return undefined;
  return { module: normaliseModule(decl.moduleSpecifier.text), path };
}

/** `require('x')` → 'x'. */
export function requireOf(e: ts.Expression): string | undefined {
  e = skipParens(e);
  if (isCallExpression(e) && isIdentifier(e.expression) && e.expression.text === 'require' && e.arguments.length === 1 && isStringLiteralLike(e.arguments[0])) {
    return e.arguments[0].text;
  }
  return undefined;
}

/** Parentheses and type assertions around an expression. One kind switch: the interpreter calls this constantly. */
export function skipParens(e: ts.Expression): ts.Expression {
  for (;;) {
    switch (e.kind) {
      case SyntaxKind.ParenthesizedExpression:
      case SyntaxKind.AsExpression:
      case SyntaxKind.NonNullExpression:
      case SyntaxKind.SatisfiesExpression:
      case SyntaxKind.TypeAssertionExpression:
        e = (e as ts.ParenthesizedExpression).expression;
        continue;
      default:
        return e;
    }
  }
}

/** `a.b.c` → 'a.b.c' for plain global chains (`JSON.parse`, `Number.isInteger`); undefined when `a` is a local. */
export function globalName(e: ts.Expression): string | undefined {
  e = skipParens(e);
  if (isIdentifier(e)) return declarationOf(e) ? undefined : e.text;
  if (isPropertyAccessExpression(e)) {
    const base = globalName(e.expression);
    return base && `${base}.${e.name.text}`;
  }
  return undefined;
}

/** Member path a module ref ends with, ignoring a leading `default` (CommonJS interop). */
export function memberPath(ref: ModuleRef): string {
  const p = ref.path[0] === 'default' ? ref.path.slice(1) : ref.path;
  return p.join('.');
}

/**
 * The module the root of a builder chain comes from: `z.object({…}).strict()` → 'zod';
 * `const Body = z.object(…)` then `Body.parse` → 'zod'. Used to recognise schema objects.
 */
export function chainRoot(e: ts.Expression, depth = 0): ModuleRef | undefined {
  if (depth > MAX_ALIAS) return undefined;
  e = skipParens(e);
  const direct = moduleRef(e, depth);
  if (direct) return direct;
  if (isCallExpression(e)) return chainRoot(e.expression, depth + 1);
  if (isPropertyAccessExpression(e)) return chainRoot(e.expression, depth + 1);
  if (isNewExpression(e)) return chainRoot(e.expression, depth + 1);
  if (isIdentifier(e)) {
    const init = constInitializer(e);
    return init ? chainRoot(init, depth + 1) : undefined;
  }
  return undefined;
}

/**
 * The module an object comes from, following how it was made: `const pool = new Pool()`,
 * `const client = await pool.connect()`, `const db = knex(cfg)` then `db('users').whereRaw`,
 * `mysql.createPool(…).promise()`, or a TypeScript parameter typed with an imported class
 * (`client: PoolClient`). Used to tell a pg `query` from any other `query` method.
 */
export function provenance(e: ts.Expression, depth = 0): ModuleRef | undefined {
  // Sink families ask about the same receiver in turn; the tree is immutable per file version.
  if (depth !== 0) return provenanceOf(e, depth);
  const cache = provenanceCache(e);
  const hit = cache.get(e);
  if (hit !== undefined) return hit ?? undefined;
  const r = provenanceOf(e, 0);
  cache.set(e, r ?? null);
  return r;
}

const provenanceCache = treeMap<ts.Expression, ModuleRef | null>();

function provenanceOf(e: ts.Expression, depth: number): ModuleRef | undefined {
  for (let d = depth; d <= MAX_ALIAS * 2; d++) {
    e = skipParens(e);
    if (isAwaitExpression(e)) { e = e.expression; continue; }
    const direct = moduleRef(e);
    if (direct) return direct;
    if (isCallExpression(e) || isNewExpression(e)) { e = e.expression; continue; }
    if (isPropertyAccessExpression(e) || isElementAccessExpression(e)) { e = e.expression; continue; }
    if (!isIdentifier(e)) return undefined;
    const decl = declarationOf(e);
    if (!decl) return undefined;
    const p = decl.parent;
    if (isParameter(p) && p.name === decl) return typeProvenance(p.type);
    // `const pool = new Pool()`, or a `let` set once at module level (`let pool; … pool ??= new Pool()` is not followed).
    if (isVariableDeclaration(p) && p.name === decl) {
      if (p.initializer) { e = p.initializer; continue; }
      return typeProvenance(p.type);
    }
    return undefined;
  }
  return undefined;
}

function typeProvenance(t: ts.TypeNode | undefined): ModuleRef | undefined {
  if (!t || !isTypeReferenceNode(t)) return undefined;
  let n: ts.EntityName = t.typeName;
  while (isQualifiedName(n)) n = n.left;
  return moduleRef(n);
}
