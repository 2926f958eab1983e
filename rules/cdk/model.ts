// IAM as written in CDK TypeScript/JavaScript: `new iam.PolicyStatement({ … })`, managed
// policies by name, `AnyPrincipal`/`StarPrincipal`, Lambda `addPermission`. Read from the syntax
// tree only (the CDK app is never synthesised or run).
import ts from 'typescript';
import type { Span } from '../api';
import { memo, type HandlerModel } from '../handler/model';
import { skipOuter } from '../handler/build';

export interface CdkLiteral { value: string | undefined; span: Span }

export interface CdkStatement {
  span: Span;
  /** 'Allow' (the CDK default), 'Deny', or undefined when not a literal. */
  effect: 'Allow' | 'Deny' | undefined;
  actions: CdkLiteral[];
  notActions: CdkLiteral[];
  resources: CdkLiteral[];
  notResources: CdkLiteral[];
  hasConditions: boolean;
}

export interface CdkPrincipal { kind: 'any' | 'star' | 'arn-star'; span: Span; inConditionalStatement: boolean }
export interface CdkManagedPolicy { name: string; span: Span }
export interface CdkPermission { principal: string; span: Span; hasSource: boolean }

export interface CdkModel {
  statements: CdkStatement[];
  principals: CdkPrincipal[];
  managedPolicies: CdkManagedPolicy[];
  permissions: CdkPermission[];
}

const CDK_IAM = /^(aws-cdk-lib(\/aws-iam)?|@aws-cdk\/aws-iam|aws-cdk-lib\/aws-lambda|@aws-cdk\/aws-lambda)$/;

export function cdkModel(model: HandlerModel): CdkModel | undefined {
  return memo(model, 'cdk', () => {
    if (!model.imports.some((i) => CDK_IAM.test(i.specifier))) return undefined;
    const sf = model.sf;
    const out: CdkModel = { statements: [], principals: [], managedPolicies: [], permissions: [] };
    const span = (n: ts.Node): Span => ({ start: n.getStart(sf), end: n.getEnd() });
    const calleeName = (e: ts.Expression): string => (ts.isPropertyAccessExpression(e) ? e.name.text : ts.isIdentifier(e) ? e.text : '');
    const literals = (e: ts.Expression | undefined): CdkLiteral[] => {
      if (!e) return [];
      e = skipOuter(e);
      const list = ts.isArrayLiteralExpression(e) ? e.elements : [e];
      return list.map((x) => ({ value: ts.isStringLiteralLike(x) ? x.text : undefined, span: span(x) }));
    };
    const prop = (obj: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined => {
      for (const p of obj.properties) if (ts.isPropertyAssignment(p) && p.name.getText(sf) === name) return p.initializer;
      return undefined;
    };
    const conditional: ts.Node[] = [];
    const visit = (n: ts.Node): void => {
      if (ts.isNewExpression(n)) {
        const name = calleeName(n.expression);
        const arg = n.arguments?.[0] && skipOuter(n.arguments[0]);
        if (name === 'PolicyStatement' && arg && ts.isObjectLiteralExpression(arg)) {
          const effect = prop(arg, 'effect');
          const effectText = effect?.getText(sf) ?? 'ALLOW';
          const hasConditions = prop(arg, 'conditions') !== undefined;
          out.statements.push({
            span: span(n),
            effect: /ALLOW/.test(effectText) ? 'Allow' : /DENY/.test(effectText) ? 'Deny' : undefined,
            actions: literals(prop(arg, 'actions')),
            notActions: literals(prop(arg, 'notActions')),
            resources: literals(prop(arg, 'resources')),
            notResources: literals(prop(arg, 'notResources')),
            hasConditions,
          });
          if (hasConditions) conditional.push(n);
        } else if (name === 'AnyPrincipal' || name === 'StarPrincipal') {
          out.principals.push({ kind: name === 'AnyPrincipal' ? 'any' : 'star', span: span(n), inConditionalStatement: false });
        } else if (name === 'ArnPrincipal' && arg && ts.isStringLiteralLike(arg) && arg.text === '*') {
          out.principals.push({ kind: 'arn-star', span: span(n), inConditionalStatement: false });
        }
      } else if (ts.isCallExpression(n)) {
        const name = calleeName(n.expression);
        const arg = n.arguments[0];
        if (name === 'fromAwsManagedPolicyName' && arg && ts.isStringLiteralLike(arg)) {
          out.managedPolicies.push({ name: arg.text.replace(/^.*\//, ''), span: span(arg) });
        } else if (name === 'addPermission' && n.arguments[1] && ts.isObjectLiteralExpression(skipOuter(n.arguments[1]))) {
          const opts = skipOuter(n.arguments[1]) as ts.ObjectLiteralExpression;
          const principal = prop(opts, 'principal');
          if (principal) {
            out.permissions.push({
              principal: principal.getText(sf),
              span: span(principal),
              hasSource: prop(opts, 'sourceArn') !== undefined || prop(opts, 'sourceAccount') !== undefined,
            });
          }
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
    for (const p of out.principals) p.inConditionalStatement = conditional.some((s) => s.getStart(sf) <= p.span.start && p.span.end <= s.getEnd());
    return out;
  });
}
