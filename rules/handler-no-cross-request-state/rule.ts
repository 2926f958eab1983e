// Lambda reuses a warm execution environment for the next request, possibly another user's:
// module-scope variables written with request data leak from one invocation into the next.
import ts from 'typescript';
import { defineRule } from '../api';
import { requestBindings, usesAny, handlerFunctions } from '../handler/request-data';

const MUTATORS = /^(push|unshift|splice|set|add|assign)$/;

export default defineRule({
  meta: {
    id: 'handler-no-cross-request-state',
    description: 'Disallow writing per-request data into module-scope state that outlives the invocation.',
    category: 'config',
    severity: 'warning',
    targets: ['handler'],
    cwe: ['CWE-488'],
    sas: 'SAS-12',
    references: ['https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html', 'https://cwe.mitre.org/data/definitions/488.html'],
    messages: {
      write: 'Stores request data in module-scope `{name}`: a warm Lambda environment keeps it for the next invocation, which may serve another user. Keep per-request data in local variables.',
    },
  },
  check(ctx) {
    if (ctx.input.target !== 'handler') return;
    const model = ctx.input.handler;
    const sf = model.sf;
    // Module-scope bindings that can change: `let`/`var`, and `const` objects, arrays, maps, sets.
    const moduleState = new Set<string>();
    for (const st of sf.statements) {
      if (!ts.isVariableStatement(st)) continue;
      const isConst = (st.declarationList.flags & ts.NodeFlags.Const) !== 0;
      for (const d of st.declarationList.declarations) {
        if (!ts.isIdentifier(d.name)) continue;
        const init = d.initializer;
        const container = init && (ts.isObjectLiteralExpression(init) || ts.isArrayLiteralExpression(init) || (ts.isNewExpression(init) && /^(Map|Set|WeakMap|Array|Object)$/.test(init.expression.getText(sf))));
        if (!isConst || container) moduleState.add(d.name.text);
      }
    }
    if (!moduleState.size) return;
    const reported = new Set<number>();
    for (const fn of handlerFunctions(model, ctx.workspace)) {
      if (!fn.body) continue;
      const request = requestBindings(fn);
      const shadowed = new Set<string>();
      const report = (node: ts.Node, name: string) => {
        const start = node.getStart(sf);
        if (reported.has(start)) return;
        reported.add(start);
        ctx.report({ messageId: 'write', span: { start, end: node.getEnd() }, data: { name } });
      };
      const rootName = (e: ts.Expression): string | undefined => {
        while (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) e = e.expression;
        return ts.isIdentifier(e) ? e.text : undefined;
      };
      const visit = (n: ts.Node): void => {
        if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name)) shadowed.add(n.name.text);
        if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
          const name = rootName(n.left);
          if (name && moduleState.has(name) && !shadowed.has(name) && usesAny(n.right, request)) report(n, name);
        } else if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && MUTATORS.test(n.expression.name.text)) {
          const target = n.expression.expression;
          const name = rootName(target) ?? (n.expression.name.text === 'assign' && n.arguments[0] ? rootName(n.arguments[0]) : undefined);
          const args = n.expression.name.text === 'assign' ? n.arguments.slice(1) : n.arguments;
          if (name && moduleState.has(name) && !shadowed.has(name) && args.some((a) => usesAny(a, request))) report(n, name);
        }
        ts.forEachChild(n, visit);
      };
      visit(fn.body);
    }
  },
});
