// Lambda encrypts environment variables with the AWS managed key unless the function names its
// own: then anyone allowed `lambda:GetFunctionConfiguration` reads the secrets in them, with no
// key policy in the way and no decrypt call in CloudTrail.
import { defineRule, type RuleContext } from '../api';
import type { TemplateModel, FunctionModel, EnvVarModel } from '../template/model';
import { isSecretName } from '../secrets/score';
import { flavorOf, functionSetting, isAws } from '../functions/settings';
import { intrinsic } from '../template/yaml';

export default defineRule({
  meta: {
    id: 'encryption-no-env-kms-key',
    description: 'Require a customer managed KMS key (`KmsKeyArn`) on functions whose environment holds secrets.',
    category: 'encryption',
    severity: 'info',
    targets: ['template'],
    cwe: ['CWE-311'],
    sas: 'SAS-07',
    references: [
      'https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars-encryption.html',
      'https://www.serverless.com/framework/docs/providers/aws/guide/functions#kms-keys',
      'https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-function.html#sam-function-kmskeyarn',
    ],
    messages: {
      function: '`{fn}` keeps {names} in its environment without `KmsKeyArn`: Lambda encrypts {them} with the AWS managed key, so anyone allowed `lambda:GetFunctionConfiguration` reads {them} in plain text; a customer managed key also requires `kms:Decrypt` on a key you control.',
      shared: '{names} {verb} set for {count} of this {unit} (`{where}`) without `KmsKeyArn`: Lambda encrypts {them} with the AWS managed key, so anyone allowed `lambda:GetFunctionConfiguration` reads {them} in plain text; a customer managed key also requires `kms:Decrypt` on a key you control.',
    },
  },
  check(ctx) {
    if (ctx.input.target !== 'template') return;
    const t = ctx.input.template;
    if (!isAws(t) || !t.environment.some(isSensitive)) return;
    checkShared(ctx, t);
    for (const fn of t.functions) {
      const own = fn.environment.filter((e) => isSensitive(e));
      if (!own.length || hasKey(t, fn)) continue;
      ctx.report({ messageId: 'function', span: own[0].keySpan, data: { fn: fn.name, names: nameList(own), them: pronoun(own) } });
    }
  },
});

/** Variables set once for every function (Serverless `provider.environment`, SAM `Globals`). */
function checkShared(ctx: RuleContext, t: TemplateModel): void {
  const shared = t.environment.filter((e) => (e.scope === 'provider' || e.scope === 'globals') && isSensitive(e));
  if (!shared.length) return;
  const flavor = t.kind === 'serverless' ? 'serverless' : 'sam';
  const readers = t.functions.filter((fn) => flavorOf(fn) === flavor);
  const exposed = readers.filter((fn) => !hasKey(t, fn) && !overridesAll(fn, shared));
  if (!exposed.length) return;
  const many = new Set(shared.map((e) => e.name)).size > 1;
  ctx.report({
    messageId: 'shared',
    span: shared[0].keySpan,
    data: {
      names: nameList(shared),
      verb: many ? 'are' : 'is',
      them: pronoun(shared),
      count: exposed.length === readers.length ? (readers.length === 1 ? 'the function' : `all ${readers.length} functions`) : `${exposed.length} of the ${readers.length} functions`,
      unit: t.kind === 'serverless' ? 'service' : 'template',
      where: t.kind === 'serverless' ? 'provider.environment' : 'Globals.Function.Environment',
    },
  });
}

/** A function that sets the same names itself reports them there. */
function overridesAll(fn: FunctionModel, shared: EnvVarModel[]): boolean {
  return shared.every((s) => fn.environment.some((e) => e.name === s.name));
}

function hasKey(t: TemplateModel, fn: FunctionModel): boolean {
  if (functionSetting(t, fn, 'KmsKeyArn', 'kmsKeyArn').where !== 'default') return true;
  // The Serverless Framework's older name for the same setting.
  return flavorOf(fn) === 'serverless' && functionSetting(t, fn, 'awsKmsKeyArn').where !== 'default';
}

/**
 * A secret the deployment puts into the environment: a secret-like name whose value comes from
 * somewhere else (a parameter, a variable, a dynamic reference), or a value that resolves a
 * secret whatever its name. Literal values are left to `secrets-no-hardcoded`.
 */
function isSensitive(e: EnvVarModel): boolean {
  const v = e.value.value;
  if (v !== undefined && DECRYPTED.test(v)) return true;
  // An intrinsic (`!Ref Param`, `!GetAtt Client.ClientSecret`) or a variable; an empty value is nothing.
  const referenced = v === undefined ? intrinsic(e.value.node) !== undefined : /\$\{[^}]+\}|\{\{resolve:/.test(v);
  return referenced && isSecretName(e.name);
}

/** Dynamic references and Serverless variables that hand the function a decrypted secret. */
const DECRYPTED = /\{\{resolve:(secretsmanager|ssm-secure):|\$\{ssm(\([^)]*\))?:[^}]*(~true|\/aws\/reference\/secretsmanager\/)/;

const pronoun = (vars: EnvVarModel[]) => (new Set(vars.map((v) => v.name)).size > 1 ? 'them' : 'it');

function nameList(vars: EnvVarModel[]): string {
  const names = [...new Set(vars.map((v) => `\`${v.name}\``))];
  return names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
}
