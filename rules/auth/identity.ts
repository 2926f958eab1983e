// Does a handler check who is calling? Reading the authorizer context, an Authorization header,
// verifying a token (jsonwebtoken, jose, aws-jwt-verify) or a webhook signature counts.
import ts from 'typescript';
import { memo, type HandlerModel } from '../handler/model';

const VERIFY_PACKAGES = /^(jsonwebtoken|jose|aws-jwt-verify|jwks-rsa|@aws-lambda-powertools\/jwt|passport.*|express-jwt|@middy\/http-security-headers)$/;

export function checksIdentity(model: HandlerModel): boolean {
  return memo(model, 'auth-identity', () => {
    if (model.imports.some((i) => VERIFY_PACKAGES.test(i.specifier))) return true;
    let found = false;
    const visit = (n: ts.Node): void => {
      if (found) return;
      if (ts.isPropertyAccessExpression(n) && (n.name.text === 'authorizer' || n.name.text === 'claims' || n.name.text === 'Authorization' || n.name.text === 'authorization')) found = true;
      else if (ts.isStringLiteralLike(n) && isHeaderRead(n) && /^(authorization|x-api-key|cookie|stripe-signature|x-hub-signature(-256)?|x-slack-signature|svix-signature|x-signature|x-twilio-signature)$/i.test(n.text)) found = true;
      else if (ts.isCallExpression(n)) {
        const callee = n.expression;
        const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
        if (/^(verify|jwtVerify|verifyToken|authenticate|authorize|getUser|constructEvent|verifySignature|validateRequest|timingSafeEqual)$/i.test(name)) found = true;
      }
      if (!found) ts.forEachChild(n, visit);
    };
    visit(model.sf);
    return found;
  });
}

/** `headers['authorization']`, `headers.get('x-api-key')`, `req.header('cookie')`: a read, not an outgoing header. */
function isHeaderRead(n: ts.StringLiteralLike): boolean {
  const p = n.parent;
  return (ts.isElementAccessExpression(p) && p.argumentExpression === n) || (ts.isCallExpression(p) && p.arguments[0] === n && ts.isPropertyAccessExpression(p.expression) && /^(get|header|has|getHeader)$/.test(p.expression.name.text));
}
