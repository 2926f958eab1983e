// An exported Lambda handler that no function of the project's template points at is an entry
// point nobody deploys on purpose: left over from a renamed or removed function, it ships with the
// code, keeps old behaviour (and old bugs) one template line away from production, and is never
// reviewed as a live route.
import ts from 'typescript';
import { defineRule, type GoverningTemplate } from '../api';
import type { ExportedFunction, HandlerModel } from '../handler/model';

/** Export names Lambda handlers go by. */
const HANDLER_NAME = /^(handler|main|lambdaHandler)$|.Handler$/;
/** Tests, mocks, scripts and build output are not deployed entry points. */
const NOT_DEPLOYED = /(^|[\\/])(__tests__|__mocks__|tests?|spec|mocks?|fixtures?|scripts?|e2e|cdk\.out|\.aws-sam|\.serverless|\.esbuild|\.webpack|node_modules|dist|build)([\\/]|$)|\.(test|spec|stories)\.[cm]?[jt]sx?$|\.d\.[cm]?ts$/i;
/** Second parameters of web frameworks' handlers (`(req, res)`), which Lambda never calls. */
const WEB_SECOND_PARAM = /^(res|response|reply|next|h)$/;

export default defineRule({
  meta: {
    id: 'function-no-unreferenced-handler',
    description: 'Disallow exported Lambda handlers that no function of the project\'s template points at.',
    category: 'config',
    severity: 'info',
    targets: ['handler'],
    cwe: ['CWE-561'],
    sas: 'SAS-11',
    references: [
      'https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html',
      'https://owasp.org/www-project-serverless-top-10/',
    ],
    messages: {
      unreferenced: '`{export}` looks like a Lambda handler, but no function in {templates} points at it: an entry point left from a removed or renamed function ships with the code and is never reviewed as live; delete it, or reference it from the template.',
    },
  },
  check(ctx) {
    if (ctx.input.target !== 'handler') return;
    const h = ctx.input.handler;
    if (!h.exportsComplete) return;
    const candidates = [...h.exports.values()].filter(looksLikeLambdaHandler);
    if (!candidates.length) return;
    const links = ctx.workspace.functionsFor(h);
    // A function points at an export the module lacks: function-no-missing-handler reports it,
    // and the unreferenced export is likely the one it meant.
    if (links.some((l) => !h.exports.has(l.exportName))) return;
    const linked = new Set(links.map((l) => l.exportName));
    const unlinked = candidates.filter((e) => !linked.has(e.name));
    if (!unlinked.length) return;
    const governing = ctx.workspace.governingTemplates?.(h.uri) ?? [];
    if (governing.some((g) => NOT_DEPLOYED.test(relativeTo(g.template.uri, h.uri)))) return;
    // A module another handler imports is a library, whatever its exports are called.
    if (!governing.length || governing.some((g) => g.importers.length || !allHandlersReadable(g))) return;
    const templates = governing.map((g) => `\`${relativePath(h.uri, g.template.uri)}\``).join(' or ');
    for (const e of unlinked) {
      const span = nameSpan(h, e);
      ctx.report({ messageId: 'unreferenced', span, data: { export: e.name, templates } });
    }
  },
});

/** `handler`/`*Handler`/`main`, as a function of at most (event, context, callback), or wrapped by middy. */
function looksLikeLambdaHandler(e: ExportedFunction): boolean {
  if (!HANDLER_NAME.test(e.name)) return false;
  if (e.wrapper === 'middy') return true;
  if (!e.fn) return false;
  const ps = e.fn.parameters;
  if (ps.length > 3) return false;
  const second = ps[1]?.name;
  return !(second && ts.isIdentifier(second) && WEB_SECOND_PARAM.test(second.text));
}

/**
 * Every Node.js function of the template names its handler as plain text: a handler built from a
 * variable or a condition may point at this export without our seeing it.
 */
function allHandlersReadable(g: GoverningTemplate): boolean {
  return g.template.functions.every((fn) => {
    if (!fn.handler) return true;
    const v = fn.handler.value;
    return v !== undefined && !v.includes('${');
  });
}

/** The module's path from the template's folder (the module is inside it). */
function relativeTo(templateUri: string, uri: string): string {
  return dirParts(uri).slice(dirParts(templateUri).length).concat(uri.split(/[\\/]/).slice(-1)).join('/');
}

function dirParts(file: string): string[] {
  return file.split(/[\\/]/).slice(0, -1);
}

/** The template's path from the module's folder (`../../serverless.yml`); the template is above it. */
function relativePath(fromFile: string, templateUri: string): string {
  const up = dirParts(fromFile).length - dirParts(templateUri).length;
  return `${'../'.repeat(Math.max(0, up))}${templateUri.split(/[\\/]/).pop()}`;
}

/** Where the export is named: the declared name, `exports.x`, or the object property. */
function nameSpan(h: HandlerModel, e: ExportedFunction): { start: number; end: number } {
  const n = e.node;
  let target: ts.Node = n;
  if ((ts.isFunctionDeclaration(n) || ts.isVariableDeclaration(n) || ts.isPropertyAssignment(n) || ts.isShorthandPropertyAssignment(n) || ts.isMethodDeclaration(n)) && n.name) target = n.name;
  else if (ts.isExpressionStatement(n) && ts.isBinaryExpression(n.expression)) target = n.expression.left;
  return { start: target.getStart(h.sf), end: target.getEnd() };
}
