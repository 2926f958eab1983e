// Which expressions in a handler carry per-request data: the event parameter (or express `req`)
// and local variables initialised or assigned from it, found by a small fixpoint over the body.
import ts from 'typescript';
import type { HandlerModel } from './model';
import type { Workspace } from '../api';
import { handlerEntries } from '../taint/sources';
// TypeScript's exports are getters: module-level copies keep hot loops off them.
const {
  forEachChild,
  isBinaryExpression,
  isIdentifier,
  isObjectBindingPattern,
  isOmittedExpression,
  isPropertyAccessExpression,
  isPropertyAssignment,
  isVariableDeclaration,
  SyntaxKind,
} = ts;

export function requestBindings(fn: ts.FunctionLikeDeclaration): Set<string> {
  const names = new Set<string>();
  const p = fn.parameters[0]?.name;
  if (p && isIdentifier(p)) names.add(p.text);
  else if (p && isObjectBindingPattern(p)) bindingNames(p, names);
  if (!fn.body) return names;
  for (let changed = true, rounds = 0; changed && rounds < 5; rounds++) {
    changed = false;
    const visit = (n: ts.Node): void => {
      if (isVariableDeclaration(n) && n.initializer && usesAny(n.initializer, names)) {
        const before = names.size;
        if (isIdentifier(n.name)) names.add(n.name.text);
        else bindingNames(n.name, names);
        changed ||= names.size !== before;
      } else if (isBinaryExpression(n) && n.operatorToken.kind === SyntaxKind.EqualsToken && isIdentifier(n.left) && usesAny(n.right, names) && !names.has(n.left.text) && isLocal(fn, n.left.text)) {
        names.add(n.left.text);
        changed = true;
      }
      forEachChild(n, visit);
    };
    visit(fn.body);
  }
  return names;
}

function bindingNames(pattern: ts.BindingName, out: Set<string>): void {
  if (isIdentifier(pattern)) out.add(pattern.text);
  else for (const el of pattern.elements) if (!isOmittedExpression(el)) bindingNames(el.name, out);
}

/** Does the expression read one of the names (not as a property name)? */
export function usesAny(e: ts.Node, names: Set<string>): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (isIdentifier(n) && names.has(n.text)) {
      const parent = n.parent;
      const isPropName = (isPropertyAccessExpression(parent) && parent.name === n) || (isPropertyAssignment(parent) && parent.name === n);
      if (!isPropName) found = true;
    }
    if (!found) forEachChild(n, visit);
  };
  visit(e);
  return found;
}

function isLocal(fn: ts.FunctionLikeDeclaration, name: string): boolean {
  let local = false;
  const visit = (n: ts.Node): void => {
    if (local) return;
    if (isVariableDeclaration(n) && isIdentifier(n.name) && n.name.text === name) local = true;
    if (!local) forEachChild(n, visit);
  };
  if (fn.body) visit(fn.body);
  return local;
}

/**
 * The functions that run per request: the exports a template links to this module, or, when none
 * does, the exports that look like handlers (by name, wrapper or event parameter) — never every
 * exported function of a library module.
 */
export function handlerFunctions(model: HandlerModel, ws: Workspace): ts.FunctionLikeDeclaration[] {
  const linked = ws.functionsFor(model).map((l) => l.exportName);
  return handlerEntries(model, linked).map((e) => e.fn);
}
