// Hardcoded secrets in templates, handler code and dotenv files: known formats anywhere, and
// secret-named values that score as real secrets. Fixes move the value to SSM / Secrets Manager.
import ts from 'typescript';
import { defineRule, type Fix, type RuleContext, type TextEdit } from '../api';
import type { TemplateModel } from '../template/model';
import { spanOf, str, get, type Node } from '../template/yaml';
import { appendToBlockMap, addChildMap, replaceEntryLine } from '../template/edit';
import { templateSecrets, codeSecrets, dotenvSecrets, jsonKeyFileSecrets, type SecretHit } from '../secrets/find';
import { maskSecret } from '../secrets/mask';

export default defineRule({
  meta: {
    id: 'secrets-no-hardcoded',
    description: 'Disallow hardcoded secrets (keys, tokens, passwords, private keys, connection strings) in templates, handler code, .env files and checked-in key files.',
    category: 'secrets',
    severity: 'error',
    // `dotenv` covers the settings files read as name → value entries: `.env`, AWS credentials, JSON key files.
    targets: ['template', 'handler', 'dotenv'],
    fix: 'suggestion',
    cwe: ['CWE-798'],
    sas: 'SAS-07',
    references: [
      'https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets_lambda.html',
      'https://www.serverless.com/framework/docs/providers/aws/guide/variables#reference-variables-using-the-ssm-parameter-store',
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references.html',
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references-ssm-secure-strings.html',
      'https://github.blog/2021-04-05-behind-githubs-new-authentication-token-formats/',
      'https://cloud.google.com/iam/docs/best-practices-for-managing-service-account-keys',
      'https://cwe.mitre.org/data/definitions/798.html',
    ],
    messages: {
      format: 'Hardcoded {kind} `{masked}`{where}: anyone who can read the code or the deployed package can use it. Store it in SSM Parameter Store or Secrets Manager and reference it.',
      named: '`{name}` holds a hardcoded secret (`{masked}`): anyone who can read the code or the deployed package can use it. Store it in SSM Parameter Store or Secrets Manager and reference it.',
      serviceAccount: 'Google service-account key of project `{project}` (private key `{masked}`){where}: whoever reads it can act as that service account. Delete this key in Google Cloud (IAM, Service accounts, Keys), create a new one if still needed, and keep it out of the repository.',
      credentialsFile: 'AWS credentials file with a hardcoded {kind} (`{masked}`){where}: anyone who can read the repository can use it. Deactivate the key in IAM, create a new one, and keep credentials files out of the repository.',
      parameter: 'Parameter `{name}` has a hardcoded default secret (`{masked}`); it is stored in the template and shown in the console. Remove the default and pass the value at deploy time (with NoEcho: true).',
    },
  },
  check(ctx) {
    const input = ctx.input;
    if (input.target === 'template') {
      const t = input.template;
      for (const hit of templateSecrets(t)) {
        const param = t.parameters.find((p) => p.default?.node === hit.node);
        // SSM-typed parameters hold a parameter *name*; the value is resolved at deploy time.
        if (param && /^AWS::SSM::Parameter::/.test(str(get(param.node, 'Type')) ?? '')) continue;
        report(ctx, hit, templateFixes(t, hit), param?.name);
      }
    } else if (input.target === 'handler') {
      for (const hit of codeSecrets(input.handler)) report(ctx, hit, codeFixes(ctx, hit), undefined);
    } else {
      // No fix for files: a key file is deleted and its key revoked, not edited.
      const d = input.dotenv;
      const hits = d.format === 'json-key' ? jsonKeyFileSecrets(d) : dotenvSecrets(d);
      for (const hit of hits) report(ctx, hit, [], undefined, d.format === 'aws-credentials');
    }
  },
});

function report(ctx: RuleContext, hit: SecretHit, fixes: Fix[], parameter: string | undefined, awsCredentialsFile = false): void {
  const masked = maskSecret(hit.secret);
  const where = hit.inComment ? ' in a comment' : hit.name ? ` in \`${hit.name}\`` : '';
  const messageId = hit.project !== undefined ? 'serviceAccount' : awsCredentialsFile ? 'credentialsFile' : parameter ? 'parameter' : hit.format ? 'format' : 'named';
  ctx.report({
    messageId,
    span: hit.span,
    data: { kind: hit.format?.name ?? 'secret', masked, where, name: parameter ?? hit.name ?? '', project: hit.project ?? '' },
    fixes,
    severity: hit.format?.severity ?? (hit.strength === 'medium' && !hit.format ? 'warning' : undefined),
  });
}

function kebab(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase();
}
function envName(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '').toUpperCase();
}

/**
 * Where a SAM/CloudFormation template takes the value from. `ssm` reads a String parameter:
 * CloudFormation resolves `{{resolve:ssm-secure:…}}` only for a few resource properties, not for
 * Lambda environment variables, so that variant is offered second, with its limit in its title.
 */
type Store = 'secretsmanager' | 'ssm';

/** The reference that replaces a secret in a template of this kind. */
function referenceFor(t: TemplateModel, name: string, json: boolean, store: Store = 'secretsmanager'): string {
  const scope = t.service ?? 'app';
  if (t.kind === 'serverless') return `\${ssm:/${scope}/${kebab(name)}}`;
  const ref = store === 'ssm' ? `{{resolve:ssm:/${scope}/${kebab(name)}}}` : `{{resolve:secretsmanager:${scope}/${kebab(name)}}}`;
  return json ? JSON.stringify(ref) : `'${ref}'`;
}

function storeLabel(t: TemplateModel, store: Store): string {
  if (t.kind === 'serverless') return 'an SSM parameter';
  return store === 'ssm' ? 'an SSM String parameter' : 'a Secrets Manager secret';
}

/** Said wherever the SSM variant is offered, so nobody creates a SecureString that will not resolve. */
const SSM_NOTE = 'plain text: CloudFormation cannot resolve a SecureString here';

const STORES: Store[] = ['secretsmanager', 'ssm'];

function templateFixes(t: TemplateModel, hit: SecretHit): Fix[] {
  const json = t.uri.toLowerCase().endsWith('.json');
  const param = t.parameters.find((p) => p.default?.node === hit.node);
  if (param) {
    if (json) return [];
    const defaultPair = param.node && get(param.node, 'Default') ? (param.node as { items: Array<{ key: Node; value: Node }> }).items.find((p) => str(p.key) === 'Default') : undefined;
    const k = spanOf(defaultPair?.key);
    const v = spanOf(defaultPair?.value);
    if (!k || !v) return [];
    const edit = replaceEntryLine(t.text, k.start, v.end, param.noEcho ? undefined : 'NoEcho: true');
    return [{ title: `Remove the default of \`${param.name}\`${param.noEcho ? '' : ' and mark it NoEcho'}`, kind: 'suggestion', edits: [edit] }];
  }
  const env = t.environment.find((e) => e.value.node === hit.node);
  if (!env || !hit.whole) return [];
  const span = spanOf(hit.node)!;
  return (t.kind === 'serverless' ? STORES.slice(0, 1) : STORES).map((store) => {
    const ref = referenceFor(t, env.name, json, store);
    const note = t.kind !== 'serverless' && store === 'ssm' ? `; ${SSM_NOTE}` : '';
    return { title: `Replace with a reference to ${storeLabel(t, store)} (${ref.replace(/^['"]|['"]$/g, '')}${note})`, kind: 'suggestion', edits: [{ ...span, newText: ref }] };
  });
}

function envFallback(node: ts.Node): { name: string; span: { start: number; end: number } } | undefined {
  const p = node.parent;
  if (!p || !ts.isBinaryExpression(p) || p.right !== node) return undefined;
  if (p.operatorToken.kind !== ts.SyntaxKind.BarBarToken && p.operatorToken.kind !== ts.SyntaxKind.QuestionQuestionToken) return undefined;
  const l = p.left;
  const isEnv = (e: ts.Expression) => ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'process' && e.name.text === 'env';
  if (ts.isPropertyAccessExpression(l) && isEnv(l.expression)) return { name: l.name.text, span: { start: p.getStart(), end: p.getEnd() } };
  if (ts.isElementAccessExpression(l) && isEnv(l.expression) && ts.isStringLiteralLike(l.argumentExpression) && /^[A-Za-z_]\w*$/.test(l.argumentExpression.text)) {
    return { name: l.argumentExpression.text, span: { start: p.getStart(), end: p.getEnd() } };
  }
  return undefined;
}

function codeFixes(ctx: RuleContext, hit: SecretHit): Fix[] {
  if (!hit.whole || hit.inComment || !hit.node) return [];
  // `process.env.X || '<secret>'`: drop the fallback rather than read X twice.
  const fallback = envFallback(hit.node as ts.Node);
  const name = fallback?.name ?? envName(hit.name ?? hit.format?.id ?? 'SECRET');
  if (!name) return [];
  const codeEdit: TextEdit = fallback ? { ...fallback.span, newText: `process.env.${name}` } : { ...hit.valueSpan, newText: `process.env.${name}` };
  const links = ctx.input.target === 'handler' ? ctx.workspace.functionsFor(ctx.input.handler) : [];
  const fixes: Fix[] = [];
  for (const store of STORES) {
    const edits: TextEdit[] = [codeEdit];
    let where = '';
    let ssmVariant = false;
    for (const link of links) {
      const t = link.template;
      if (t.environment.some((e) => e.name === name && (e.scope === link.fn.name || e.scope === 'provider' || e.scope === 'globals'))) continue;
      const ref = referenceFor(t, name, t.uri.toLowerCase().endsWith('.json'), store);
      const props = get(link.fn.node, 'Properties');
      const edit = link.fn.environmentNode
        ? appendToBlockMap(t.text, link.fn.environmentNode, name, ref)
        : t.kind === 'serverless'
          ? addChildMap(t.text, link.fn.node, 'environment', name, ref)
          : props && !get(props, 'Environment') ? addChildMap(t.text, props, ['Environment', 'Variables'], name, ref) : undefined;
      if (edit) {
        edits.push({ ...edit, uri: t.uri });
        where = ` and add it to \`${link.fn.name}\`'s environment`;
        if (t.kind !== 'serverless') {
          ssmVariant = true;
          where += store === 'ssm' ? ` from an SSM String parameter (${SSM_NOTE})` : ' from Secrets Manager';
        }
      }
    }
    // The SSM variant differs only where a SAM/CloudFormation environment gets the reference.
    if (store === 'ssm' && !ssmVariant) break;
    fixes.push({ title: `Read it from process.env.${name}${where}`, kind: 'suggestion', edits });
  }
  return fixes;
}
