// Key files and private keys: which files are read, which PEM bodies are keys, and that a
// service-account key is one finding wherever it is pasted. Keys are generated here, never real.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { classifyPath } from '../server/src/engine/classify';
import { pemLooksReal } from '../rules/secrets/pem';
import { buildJsonKeyFile } from '../rules/secrets/keyfile';
import { embeddedServiceAccount } from '../rules/secrets/service-account';
import { lintTexts } from './support/lint-dir';

const pkcs8 = (type: 'rsa' | 'ec' | 'ed25519') => {
  const { privateKey } = type === 'rsa' ? crypto.generateKeyPairSync('rsa', { modulusLength: 2048 })
    : type === 'ec' ? crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : crypto.generateKeyPairSync('ed25519');
  return privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
};
const rsaPkcs1 = () => crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;

function serviceAccount(privateKey: string, project = 'billing-prod-4821'): Record<string, string> {
  return {
    type: 'service_account', project_id: project, private_key_id: crypto.randomBytes(20).toString('hex'), private_key: privateKey,
    client_email: `exporter@${project}.iam.gserviceaccount.com`, client_id: '1' + crypto.randomInt(1e9, 9e9).toString() + crypto.randomInt(1e9, 9e9).toString(),
    token_uri: 'https://oauth2.googleapis.com/token',
  };
}

test('file kinds: AWS credentials files by name; package.json and tsconfig.json are never read', () => {
  assert.equal(classifyPath('/repo/.aws/credentials'), 'aws-credentials');
  assert.equal(classifyPath('/repo/deploy/credentials'), 'aws-credentials');
  assert.equal(classifyPath('/repo/credentials.md'), 'other');
  assert.equal(classifyPath('/repo/keys/sa.json'), 'json');
  assert.equal(classifyPath('/repo/package.json'), 'other');
  assert.equal(classifyPath('/repo/tsconfig.build.json'), 'other');
});

test('PEM bodies: generated keys are key material, placeholders are not', () => {
  for (const pem of [pkcs8('rsa'), pkcs8('ec'), pkcs8('ed25519'), rsaPkcs1()]) {
    assert.ok(pemLooksReal(pem), pem.split('\n')[0]);
    assert.ok(pemLooksReal(pem.replace(/\n/g, '\\n')), 'escaped newlines (a key inside a JSON string)');
  }
  // A header whose body is in the next string literal is still a key.
  assert.ok(pemLooksReal('-----BEGIN RSA PRIVATE KEY-----\\n'));
  for (const placeholder of [
    '-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----',
    '-----BEGIN PRIVATE KEY-----\n<your key>\n-----END PRIVATE KEY-----',
    '-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----',
    `-----BEGIN PRIVATE KEY-----\n${'x'.repeat(64)}\n-----END PRIVATE KEY-----`,
    `-----BEGIN PRIVATE KEY-----\n${'AB'.repeat(40)}\n-----END PRIVATE KEY-----`,
    '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----',
  ]) {
    assert.ok(!pemLooksReal(placeholder), placeholder);
  }
});

test('JSON key files: read only with a top-level string private_key', () => {
  const sa = JSON.stringify(serviceAccount(pkcs8('rsa')), null, 2);
  const model = buildJsonKeyFile('/repo/sa.json', sa)!;
  assert.equal(model.format, 'json-key');
  const pk = model.entries.find((e) => e.name === 'private_key')!;
  assert.match(pk.value, /^-----BEGIN PRIVATE KEY-----\n/);
  assert.equal(sa.slice(pk.valueSpan.start, pk.valueSpan.end), JSON.stringify(pk.value).slice(1, -1));
  for (const other of ['{"name": "app"}', '[{"private_key": "x"}]', '{"private_key": null}', '{"nested": {"private_key": "x"}}', '{"private_key": ']) {
    assert.equal(buildJsonKeyFile('/repo/x.json', other), undefined, other);
  }
});

test('a service-account key is one finding, on its key, in a key file, a template value and code; a placeholder key none', () => {
  const real = serviceAccount(pkcs8('ec'));
  const placeholder = serviceAccount('-----BEGIN PRIVATE KEY-----\n<paste the key here>\n-----END PRIVATE KEY-----\n', 'billing-dev-1022');
  const pasted = JSON.stringify(real);
  const found = embeddedServiceAccount(pasted)!;
  assert.equal(found.project, 'billing-prod-4821');
  assert.match(pasted.slice(found.index, found.index + found.length), /^-----BEGIN PRIVATE KEY-----\\n[\s\S]+-----END PRIVATE KEY-----$/);
  assert.equal(embeddedServiceAccount(JSON.stringify(placeholder)), undefined);

  const yamlQuote = (s: string) => `'${s.replace(/'/g, "''")}'`;
  const results = lintTexts(new Map([
    ['keys/billing-prod.json', JSON.stringify(real, null, 2)],
    ['keys/billing-dev.json', JSON.stringify(placeholder, null, 2)],
    ['serverless.yml', `service: billing\nprovider:\n  name: aws\n  runtime: nodejs24.x\n  environment:\n    GOOGLE_CREDENTIALS: ${yamlQuote(pasted)}\n    GOOGLE_CREDENTIALS_DEV: ${yamlQuote(JSON.stringify(placeholder))}\nfunctions:\n  export:\n    handler: handler.main\n`],
    ['handler.js', `const credentials = ${JSON.stringify(pasted)};\nconst dev = ${JSON.stringify(JSON.stringify(placeholder))};\nexports.main = async () => [credentials, dev];\n`],
  ]));
  const secrets = (file: string) => results.get(file)!.findings.filter((f) => f.ruleId === 'secrets-no-hardcoded');
  assert.equal(secrets('keys/billing-dev.json').length, 0);
  for (const file of ['keys/billing-prod.json', 'serverless.yml', 'handler.js']) {
    const f = secrets(file);
    assert.equal(f.length, 1, `${file}: ${f.map((x) => x.message).join(' | ')}`);
    assert.match(f[0].message, /^Google service-account key of project `billing-prod-4821` \(private key `-{4}\*{8}… \(\d+ chars\)`\)/);
    assert.equal(f[0].severity, 'error');
  }
  assert.deepEqual(secrets('keys/billing-prod.json')[0].fixes, [], 'no fix for a key file: delete it and revoke the key');
});
