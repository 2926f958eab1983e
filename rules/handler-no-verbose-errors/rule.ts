// Error details sent back to the caller (stack traces, raw error objects, messages of internal
// errors) tell an attacker about file paths, libraries, queries and infrastructure.
import ts from 'typescript';
import { defineRule, type Fix } from '../api';
import { syntaxIndex } from '../handler/syntax-index';
import { handlerFunctions } from '../handler/request-data';

type Leak = 'stack' | 'raw' | 'message';

export default defineRule({
  meta: {
    id: 'handler-no-verbose-errors',
    description: 'Disallow returning error stacks, raw error objects or internal error messages in responses.',
    category: 'error-handling',
    severity: 'warning',
    targets: ['handler'],
    fix: 'suggestion',
    cwe: ['CWE-209'],
    sas: 'SAS-10',
    references: ['https://cwe.mitre.org/data/definitions/209.html', 'https://owasp.org/www-community/Improper_Error_Handling'],
    messages: {
      stack: 'The response includes `{expr}`: a stack trace tells the caller your file layout, libraries and versions. Log it and return a generic message.',
      raw: 'The response includes the raw error `{expr}`: its message and properties can reveal queries, hosts and internals. Log it and return a generic message.',
      message: 'The response includes `{expr}` of an unexpected error: messages of internal errors can reveal queries, hosts and internals. Return a generic message for 5xx errors.',
    },
  },
  check(ctx) {
    if (ctx.input.target !== 'handler') return;
    const sf = ctx.input.handler.sf;
    // Only handler modules answer callers; a library's catch blocks return to its own callers.
    if (!handlerFunctions(ctx.input.handler, ctx.workspace).length) return;
    const visitCatch = (clause: ts.CatchClause) => {
      const v = clause.variableDeclaration?.name;
      if (!v || !ts.isIdentifier(v)) return;
      const errName = v.text;
      const inResponse = (n: ts.Node): void => {
        if (ts.isFunctionLike(n)) return; // callbacks defined here run elsewhere
        if (ts.isReturnStatement(n) && n.expression) checkResponse(n.expression);
        else if (ts.isCallExpression(n)) {
          const callee = n.expression;
          const name = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : '';
          // res.json(…), res.send(…), callback(null, {…}), h.response(…)
          if (/^(json|send|end|callback|cb|done|response|succeed)$/.test(name)) n.arguments.forEach((a) => checkResponse(a));
        }
        ts.forEachChild(n, inResponse);
      };
      const checkResponse = (expr: ts.Expression) => {
        if (hasClientErrorStatus(expr)) return;
        const seen = new Set<ts.Node>();
        const find = (n: ts.Node): void => {
          const leak = leakOf(n, errName);
          if (leak && !seen.has(n)) {
            seen.add(n);
            const fixes: Fix[] = leak === 'message' || leak === 'stack' || leak === 'raw'
              ? [{ title: "Return 'Internal server error' instead", kind: 'suggestion', edits: [{ start: n.getStart(sf), end: n.getEnd(), newText: "'Internal server error'" }] }]
              : [];
            ctx.report({ messageId: leak, span: { start: n.getStart(sf), end: n.getEnd() }, data: { expr: n.getText(sf) }, severity: leak === 'message' ? 'info' : undefined, fixes });
            return;
          }
          if (ts.isFunctionLike(n)) return;
          ts.forEachChild(n, find);
        };
        find(expr);
      };
      inResponse(clause.block);
    };
    for (const clause of syntaxIndex(ctx.input.handler).catchClauses) visitCatch(clause);
  },
});

/** `err.stack`, `err.message`, `err` itself (stringified, spread, or as a value). */
function leakOf(n: ts.Node, err: string): Leak | undefined {
  const isErr = (e: ts.Node) => ts.isIdentifier(e) && e.text === err;
  if (ts.isPropertyAccessExpression(n) && isErr(n.expression)) {
    if (n.name.text === 'stack') return 'stack';
    if (n.name.text === 'message') return 'message';
    return undefined;
  }
  const p = n.parent;
  if (!isErr(n) || !p) return undefined;
  // The error object itself: JSON.stringify(err), String(err), `${err}`, { error: err }, err.toString()
  if (ts.isPropertyAccessExpression(p) && p.expression === n) return p.name.text === 'toString' ? 'raw' : undefined;
  if (ts.isCallExpression(p) && /^(JSON\.stringify|String|util\.inspect|inspect)$/.test(p.expression.getText())) return 'raw';
  if (ts.isTemplateSpan(p) || ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p) || ts.isSpreadAssignment(p) || ts.isCallExpression(p)) return 'raw';
  if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.PlusToken) return 'raw';
  return undefined;
}

/**
 * Does the statement that sends this response set a literal 4xx status (`statusCode: 400`,
 * `res.status(422)`)? Client errors may carry their own message.
 */
function hasClientErrorStatus(expr: ts.Expression): boolean {
  let stmt: ts.Node = expr;
  while (stmt.parent && !ts.isStatement(stmt)) stmt = stmt.parent;
  let status: number | undefined;
  const find = (n: ts.Node): void => {
    if (status !== undefined || ts.isFunctionLike(n)) return;
    if (ts.isPropertyAssignment(n) && /^(statusCode|status)$/.test(n.name.getText()) && ts.isNumericLiteral(n.initializer)) status = +n.initializer.text;
    else if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && /^(status|sendStatus)$/.test(n.expression.name.text) && n.arguments[0] && ts.isNumericLiteral(n.arguments[0])) status = +n.arguments[0].text;
    ts.forEachChild(n, find);
  };
  find(stmt);
  return status !== undefined && status >= 400 && status < 500;
}
