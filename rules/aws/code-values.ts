// What a request parameter holds, read from the code without running it: a string literal, an
// environment variable (`process.env.TABLE`), or text around them (`${process.env.BUCKET}/x`),
// followed through local constants and destructuring. Anything else is unknown: never a guess.
import ts from 'typescript';
import { skipOuter } from '../handler/build';

export type CodePart = { kind: 'literal'; text: string } | { kind: 'env'; name: string } | { kind: 'unknown' };

/** A value as a sequence of parts (one part for a plain literal or a bare `process.env.X`). */
export type CodeValue = CodePart[];

const MAX_DEPTH = 6;

/** A property of an object literal by its plain name (`{ TableName: … }`, `{ 'Bucket': … }`). */
export function property(obj: ts.Expression | undefined, name: string): ts.Expression | undefined {
  const o = obj && skipOuter(obj);
  if (!o || !ts.isObjectLiteralExpression(o)) return undefined;
  let found: ts.Expression | undefined;
  for (const p of o.properties) {
    const key = p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : undefined;
    if (key !== name) continue;
    if (ts.isPropertyAssignment(p)) found = p.initializer;
    else if (ts.isShorthandPropertyAssignment(p)) found = p.name;
  }
  return found;
}

/** Object literal whose properties a call's params are (through a local constant), else undefined. */
export function objectLiteral(e: ts.Expression | undefined, sf: ts.SourceFile, depth = 0): ts.ObjectLiteralExpression | undefined {
  if (!e || depth > MAX_DEPTH) return undefined;
  const x = skipOuter(e);
  if (ts.isObjectLiteralExpression(x)) return x;
  if (ts.isIdentifier(x)) {
    const init = constInitializer(x.text, sf);
    return init ? objectLiteral(init, sf, depth + 1) : undefined;
  }
  return undefined;
}

/** The parts of a string-valued expression. */
export function codeValue(e: ts.Expression | undefined, sf: ts.SourceFile, depth = 0): CodeValue {
  if (!e || depth > MAX_DEPTH) return [{ kind: 'unknown' }];
  const x = skipOuter(e);
  if (ts.isStringLiteralLike(x)) return [{ kind: 'literal', text: x.text }];
  const env = envName(x);
  if (env) return [{ kind: 'env', name: env }];
  if (ts.isTemplateExpression(x)) {
    const out: CodeValue = [];
    if (x.head.text) out.push({ kind: 'literal', text: x.head.text });
    for (const span of x.templateSpans) {
      out.push(...codeValue(span.expression, sf, depth + 1));
      if (span.literal.text) out.push({ kind: 'literal', text: span.literal.text });
    }
    return merge(out);
  }
  // `process.env.TABLE ?? 'fallback'`: the environment wins whenever the template sets it.
  if (ts.isBinaryExpression(x) && (x.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || x.operatorToken.kind === ts.SyntaxKind.BarBarToken)) {
    const left = codeValue(x.left, sf, depth + 1);
    return left.length === 1 && left[0].kind === 'env' ? left : [{ kind: 'unknown' }];
  }
  if (ts.isBinaryExpression(x) && x.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    return merge([...codeValue(x.left, sf, depth + 1), ...codeValue(x.right, sf, depth + 1)]);
  }
  if (ts.isIdentifier(x)) {
    const fromEnv = destructuredEnv(x.text, sf);
    if (fromEnv) return [{ kind: 'env', name: fromEnv }];
    const init = constInitializer(x.text, sf);
    return init ? codeValue(init, sf, depth + 1) : [{ kind: 'unknown' }];
  }
  // `config.table` where `const config = { table: process.env.TABLE }`.
  if (ts.isPropertyAccessExpression(x) && ts.isIdentifier(x.expression)) {
    const obj = objectLiteral(x.expression, sf, depth + 1);
    const v = obj && property(obj, x.name.text);
    return v ? codeValue(v, sf, depth + 1) : [{ kind: 'unknown' }];
  }
  return [{ kind: 'unknown' }];
}

/** A value that is exactly one known part. */
export function single(v: CodeValue): CodePart | undefined {
  return v.length === 1 && v[0].kind !== 'unknown' ? v[0] : undefined;
}

/** The literal text a value starts with, and the literal text it ends with. */
export function literalEnds(v: CodeValue): { head: string; tail: string; exact: boolean } {
  const exact = v.every((p) => p.kind === 'literal');
  const head = v[0]?.kind === 'literal' ? v[0].text : '';
  const last = v[v.length - 1];
  const tail = last?.kind === 'literal' ? last.text : '';
  return { head, tail, exact };
}

function merge(parts: CodeValue): CodeValue {
  const out: CodeValue = [];
  for (const p of parts) {
    const prev = out[out.length - 1];
    if (p.kind === 'literal' && prev?.kind === 'literal') out[out.length - 1] = { kind: 'literal', text: prev.text + p.text };
    else out.push(p);
  }
  return out;
}

/** `process.env.X` / `process.env['X']` → X. */
function envName(e: ts.Expression): string | undefined {
  const isProcessEnv = (o: ts.Expression) => {
    const s = skipOuter(o);
    return ts.isPropertyAccessExpression(s) && ts.isIdentifier(s.expression) && s.expression.text === 'process' && s.name.text === 'env';
  };
  if (ts.isPropertyAccessExpression(e) && isProcessEnv(e.expression)) return e.name.text;
  if (ts.isElementAccessExpression(e) && isProcessEnv(e.expression) && ts.isStringLiteralLike(e.argumentExpression)) return e.argumentExpression.text;
  return undefined;
}

/**
 * The initializer of the one `const` of that name in the module. Several declarations (shadowing
 * in different scopes) or a `let` that may be reassigned: unknown.
 */
function constInitializer(name: string, sf: ts.SourceFile): ts.Expression | undefined {
  const decls = declarations(sf).get(name);
  if (!decls || decls.length !== 1) return undefined;
  const d = decls[0];
  if (!ts.isVariableDeclaration(d) || !ts.isIdentifier(d.name) || !d.initializer) return undefined;
  if (!(d.parent.flags & ts.NodeFlags.Const)) return undefined;
  return d.initializer;
}

/** `const { TABLE } = process.env` / `const { TABLE: table } = process.env` → the variable's name. */
function destructuredEnv(name: string, sf: ts.SourceFile): string | undefined {
  const decls = declarations(sf).get(name);
  if (!decls || decls.length !== 1) return undefined;
  const d = decls[0];
  if (!ts.isVariableDeclaration(d) || !ts.isObjectBindingPattern(d.name) || !d.initializer) return undefined;
  const init = skipOuter(d.initializer);
  if (!(ts.isPropertyAccessExpression(init) && ts.isIdentifier(init.expression) && init.expression.text === 'process' && init.name.text === 'env')) return undefined;
  for (const el of d.name.elements) {
    if (!ts.isIdentifier(el.name) || el.name.text !== name) continue;
    const prop = el.propertyName;
    if (!prop) return name;
    return ts.isIdentifier(prop) || ts.isStringLiteral(prop) ? prop.text : undefined;
  }
  return undefined;
}

type Declaration = ts.VariableDeclaration | ts.ParameterDeclaration;
const declCache = new WeakMap<ts.SourceFile, Map<string, Declaration[]>>();

/** Every variable declaration of the module by bound name (destructured names included). */
function declarations(sf: ts.SourceFile): Map<string, Declaration[]> {
  let m = declCache.get(sf);
  if (m) return m;
  m = new Map();
  const add = (name: string, d: Declaration) => m!.set(name, [...(m!.get(name) ?? []), d]);
  const bind = (n: ts.BindingName, d: Declaration) => {
    if (ts.isIdentifier(n)) add(n.text, d);
    else for (const el of n.elements) if (!ts.isOmittedExpression(el)) bind(el.name, d);
  };
  const visit = (n: ts.Node): void => {
    // A parameter of the same name shadows a constant somewhere: the name becomes ambiguous.
    if (ts.isVariableDeclaration(n) || ts.isParameter(n)) bind(n.name, n);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  declCache.set(sf, m);
  return m;
}
