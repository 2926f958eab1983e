// Does a handler read request input, and does it validate it? Syntax only: reads are property
// reads of the entry's first parameter (`event.body`, `event.queryStringParameters`,
// `event.pathParameters`, or `req.body`/`req.query`/`req.params`), in the parameter list or the
// body; validation is a schema library (zod, joi, ajv, middy's validator, Powertools parser, …)
// imported by the module or a local module it imports, or a guard on the read values that
// returns or throws. Walks are iterative: generated code must not overflow the stack.
import ts from 'typescript';
import type { Span, Workspace } from '../api';
import { memo, type HandlerModel } from '../handler/model';
import { preOrder } from '../handler/syntax-index';
import type { Entry } from '../taint/types';
import { declarationOf } from '../taint/scope';
import { skipParens } from '../taint/modules';
// TypeScript's exports are getters: module-level copies keep hot loops off them.
const {
  forEachChild,
  isArrayLiteralExpression,
  isAsExpression,
  isAwaitExpression,
  isBinaryExpression,
  isBlock,
  isCallExpression,
  isElementAccessExpression,
  isFunctionLike,
  isIdentifier,
  isIfStatement,
  isNewExpression,
  isNonNullExpression,
  isObjectBindingPattern,
  isOmittedExpression,
  isParenthesizedExpression,
  isPropertyAccessExpression,
  isPropertyAssignment,
  isReturnStatement,
  isShorthandPropertyAssignment,
  isSpreadAssignment,
  isSpreadElement,
  isStringLiteralLike,
  isThrowStatement,
  isVariableDeclaration,
  SyntaxKind,
} = ts;

export type InputPart = 'body' | 'query' | 'path';

export interface InputRead { part: InputPart; span: Span; text: string }

export interface InputUse {
  /** The first read of each part, in source order. */
  reads: InputRead[];
  /** Parts a guard in the handler checks (all parts when a schema library is used). */
  validated: Set<InputPart>;
  /** The whole input is passed on to other code that may read and check it: reads are unknown. */
  opaque: boolean;
}

const PARTS: Record<Entry['input'], Record<string, InputPart>> = {
  event: { body: 'body', queryStringParameters: 'query', multiValueQueryStringParameters: 'query', rawQueryString: 'query', pathParameters: 'path' },
  request: { body: 'body', query: 'query', params: 'path' },
};

/** Modules whose use means the input is validated against a schema. */
const VALIDATORS = /^(zod|zod\/.*|joi|@hapi\/joi|yup|ajv|ajv\/.*|ajv-formats|superstruct|valibot|class-validator|class-transformer-validator|@middy\/validator|@aws-lambda-powertools\/parser(\/.*)?|io-ts|@sinclair\/typebox(\/.*)?|runtypes|@effect\/schema|effect|arktype|@vinejs\/vine|fastest-validator|express-validator|celebrate|@sideway\/joi|typia|@badrap\/valita|myzod|computed-types)$/;

const SIGNATURE_CHECKS = /^(constructEvent|constructEventAsync|verifySignature|validateSignature|validateRequest|verifyWebhook|verifyRequestSignature|timingSafeEqual)$/;

export function inputUse(model: HandlerModel, entry: Entry, workspace: Workspace | undefined): InputUse {
  // The syntactic part is memoised on the model; the look into imported modules is asked every
  // time, so the engine records the dependency on them.
  const use = memo(model, `input-use:${entry.exportName}:${entry.fn.pos}`, () => compute(model, entry));
  if (!usesSchemaLibrary(model, workspace)) return use;
  return { ...use, validated: new Set(Object.values(PARTS[entry.input])) };
}

/** The module (or a local module it imports) uses a schema validation library. */
export function usesSchemaLibrary(model: HandlerModel, workspace: Workspace | undefined): boolean {
  if (model.imports.some((i) => VALIDATORS.test(i.specifier))) return true;
  for (const i of model.imports) {
    if (!i.specifier.startsWith('.')) continue;
    const m = workspace?.importedModule(model, i.specifier);
    if (m && m.imports.some((x) => VALIDATORS.test(x.specifier))) return true;
  }
  return false;
}

function compute(model: HandlerModel, entry: Entry): InputUse {
  const parts = PARTS[entry.input];
  const reads: InputRead[] = [];
  const derived = new Map<ts.Identifier, Set<InputPart>>();
  let opaque = false;
  const param = entry.fn.parameters[0];
  if (!param) return { reads, validated: new Set(), opaque };
  const partsOf = new Map<ts.Node, Set<InputPart>>();
  const addRead = (part: InputPart, node: ts.Node) => {
    if (!reads.some((r) => r.part === part)) reads.push({ part, span: { start: node.getStart(), end: node.end }, text: node.getText().slice(0, 60) });
  };
  // `({ body, pathParameters: { id } }) => …`
  // The names of the parameter's and derived bindings: an identifier spelled otherwise cannot
  // refer to one, so it is not resolved.
  const watched = new Set<string>();
  const bindPattern = (name: ts.BindingName, from: Set<InputPart> | 'input') => {
    if (isIdentifier(name)) {
      if (from !== 'input') derived.set(name, from);
      else paramIds.add(name);
      watched.add(name.text);
      return;
    }
    for (const el of name.elements) {
      if (isOmittedExpression(el)) continue;
      if (from === 'input' && isObjectBindingPattern(name)) {
        const key = el.propertyName ?? el.name;
        const k = isIdentifier(key) || isStringLiteralLike(key) ? key.text : undefined;
        const part = k ? parts[k] : undefined;
        if (part) { addRead(part, el); bindPattern(el.name, new Set([part])); }
        else if (el.dotDotDotToken) opaque = true;
        continue;
      }
      bindPattern(el.name, from);
    }
  };
  const paramIds = new Set<ts.Identifier>();
  bindPattern(param.name, 'input');
  if (!entry.fn.body) return { reads, validated: new Set(), opaque };

  // Source order: reads and derived variables.
  const order: ts.Node[] = [];
  preOrder(entry.fn.body, (n) => { order.push(n); });
  const isParam = (id: ts.Identifier) => {
    const d = declarationOf(id);
    return !!d && paramIds.has(d);
  };
  for (const n of order) {
    if (!isIdentifier(n) || !watched.has(n.text)) continue;
    const d = declarationOf(n);
    if (!d || d === n) continue;
    if (paramIds.has(d)) {
      const p = n.parent;
      const key = isPropertyAccessExpression(p) && p.expression === n ? p.name.text
        : isElementAccessExpression(p) && p.expression === n && isStringLiteralLike(p.argumentExpression) ? p.argumentExpression.text : undefined;
      const part = key !== undefined ? parts[key] : undefined;
      if (part) {
        addRead(part, p);
        partsOf.set(p, new Set([part]));
      } else if (key === undefined) {
        // `const { body } = event`
        const vd = skipUp(n);
        if (isVariableDeclaration(vd) && vd.initializer && skipParens(vd.initializer) === n && isObjectBindingPattern(vd.name)) {
          for (const el of vd.name.elements) {
            const k = el.propertyName ?? el.name;
            const kt = isIdentifier(k) || isStringLiteralLike(k) ? k.text : undefined;
            const pp = kt ? parts[kt] : undefined;
            if (pp) { addRead(pp, el); bindPattern(el.name, new Set([pp])); }
            else if (el.dotDotDotToken) opaque = true;
          }
        } else if (isPassedOn(n)) opaque = true;
      }
      continue;
    }
    const from = derived.get(d);
    if (from) partsOf.set(n, from);
  }
  // Variables initialised or assigned from reads or derived values (`const body = JSON.parse(event.body)`,
  // `let body; try { body = JSON.parse(event.body) } catch {}`).
  for (const n of order) {
    const assigned = isBinaryExpression(n) && n.operatorToken.kind === SyntaxKind.EqualsToken && isIdentifier(n.left) ? declarationOf(n.left) : undefined;
    const value = isVariableDeclaration(n) ? n.initializer : assigned ? (n as ts.BinaryExpression).right : undefined;
    if (!value) continue;
    const found = new Set<InputPart>();
    walk(value, (x) => {
      for (const p of partsOf.get(x) ?? []) found.add(p);
      if (isIdentifier(x) && watched.has(x.text)) {
        const d = declarationOf(x);
        for (const p of (d && derived.get(d)) ?? []) found.add(p);
      }
    });
    if (!found.size) continue;
    if (assigned) {
      derived.set(assigned, new Set([...(derived.get(assigned) ?? []), ...found]));
      watched.add(assigned.text);
    } else {
      for (const id of bindingIds((n as ts.VariableDeclaration).name)) {
        derived.set(id, found);
        watched.add(id.text);
      }
    }
  }

  // Guards: `if (<condition on input>) return/throw`.
  const validated = new Set<InputPart>();
  for (const n of order) {
    if (!isIfStatement(n) || !leaves(n.thenStatement)) continue;
    walk(n.expression, (x) => {
      for (const p of partsOf.get(x) ?? []) validated.add(p);
      if (isIdentifier(x) && watched.has(x.text)) {
        const d = declarationOf(x);
        for (const p of (d && derived.get(d)) ?? []) validated.add(p);
        if (isParam(x)) for (const p of Object.values(parts)) validated.add(p);
      }
    });
  }
  // A signed webhook: the signature check proves the body comes from the sender (Stripe, Svix, an HMAC).
  for (const n of order) {
    if (!isCallExpression(n)) continue;
    const callee = skipParens(n.expression);
    const name = isIdentifier(callee) ? callee.text : isPropertyAccessExpression(callee) ? callee.name.text : '';
    if (!SIGNATURE_CHECKS.test(name)) continue;
    for (const a of n.arguments) {
      walk(a, (x) => {
        for (const p of partsOf.get(x) ?? []) validated.add(p);
        if (isIdentifier(x)) {
          const d = declarationOf(x);
          for (const p of (d && derived.get(d)) ?? []) validated.add(p);
        }
      });
    }
  }
  return { reads, validated, opaque };
}

function skipUp(n: ts.Node): ts.Node {
  let p = n.parent;
  while (isParenthesizedExpression(p) || isAsExpression(p) || isNonNullExpression(p) || isAwaitExpression(p)) p = p.parent;
  return p;
}

/** `process(event)`, `{ ...event }`, `const e = event`: the whole input goes elsewhere (logging aside). */
function isPassedOn(n: ts.Identifier): boolean {
  const p = skipUp(n);
  if (isCallExpression(p)) return !/^(console\.\w+|logger\.\w+|log\.\w+|JSON\.stringify)$/.test(p.expression.getText());
  if (isBinaryExpression(p)) return p.operatorToken.kind === SyntaxKind.EqualsToken;
  return isNewExpression(p) || isSpreadAssignment(p) || isSpreadElement(p) || isShorthandPropertyAssignment(p) || isPropertyAssignment(p) || isReturnStatement(p) || isVariableDeclaration(p) || isArrayLiteralExpression(p);
}

/** The branch returns or throws (a 400, an error). */
function leaves(s: ts.Statement): boolean {
  if (isReturnStatement(s) || isThrowStatement(s)) return true;
  if (isBlock(s)) return s.statements.some((x) => isReturnStatement(x) || isThrowStatement(x));
  return false;
}

function walk(root: ts.Node, f: (n: ts.Node) => void): void {
  const stack: ts.Node[] = [root];
  let budget = 20_000;
  while (stack.length && budget-- > 0) {
    const n = stack.pop()!;
    f(n);
    forEachChild(n, (c) => { if (!isFunctionLike(c)) stack.push(c); });
  }
}

function bindingIds(name: ts.BindingName): ts.Identifier[] {
  if (isIdentifier(name)) return [name];
  const out: ts.Identifier[] = [];
  for (const el of name.elements) if (!isOmittedExpression(el)) out.push(...bindingIds(el.name));
  return out;
}
