// Which expressions in a handler carry per-request data: the event parameter (or express `req`)
// and local variables initialised or assigned from it, found by a small fixpoint over the body.
import ts from 'typescript';
import type { HandlerModel } from './model';
import type { Workspace } from '../api';
import { handlerEntries } from '../taint/sources';

export function requestBindings(fn: ts.FunctionLikeDeclaration): Set<string> {
  const names = new Set<string>();
  const p = fn.parameters[0]?.name;
  if (p && ts.isIdentifier(p)) names.add(p.text);
  else if (p && ts.isObjectBindingPattern(p)) bindingNames(p, names);
  if (!fn.body) return names;
  for (let changed = true, rounds = 0; changed && rounds < 5; rounds++) {
    changed = false;
    const visit = (n: ts.Node): void => {
      if (ts.isVariableDeclaration(n) && n.initializer && usesAny(n.initializer, names)) {
        const before = names.size;
        if (ts.isIdentifier(n.name)) names.add(n.name.text);
        else bindingNames(n.name, names);
        changed ||= names.size !== before;
      } else if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isIdentifier(n.left) && usesAny(n.right, names) && !names.has(n.left.text) && isLocal(fn, n.left.text)) {
        names.add(n.left.text);
        changed = true;
      }
      ts.forEachChild(n, visit);
    };
    visit(fn.body);
  }
  return names;
}

function bindingNames(pattern: ts.BindingName, out: Set<string>): void {
  if (ts.isIdentifier(pattern)) out.add(pattern.text);
  else for (const el of pattern.elements) if (!ts.isOmittedExpression(el)) bindingNames(el.name, out);
}

/** Does the expression read one of the names (not as a property name)? */
export function usesAny(e: ts.Node, names: Set<string>): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(n) && names.has(n.text)) {
      const parent = n.parent;
      const isPropName = (ts.isPropertyAccessExpression(parent) && parent.name === n) || (ts.isPropertyAssignment(parent) && parent.name === n);
      if (!isPropName) found = true;
    }
    if (!found) ts.forEachChild(n, visit);
  };
  visit(e);
  return found;
}

function isLocal(fn: ts.FunctionLikeDeclaration, name: string): boolean {
  let local = false;
  const visit = (n: ts.Node): void => {
    if (local) return;
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === name) local = true;
    if (!local) ts.forEachChild(n, visit);
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
