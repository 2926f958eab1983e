// Is a value under a secret-like name a real secret or a word, an id, a reference? Scores by
// length, character classes and Shannon entropy; rules out the common non-secrets by shape.
import { isPlaceholder, isDocumentedExample } from './formats';
import { isChecksumFailingToken, fineGrainedTokenStructureOk } from './checksum';

/** Names that hold secrets: password, secret, token, api key, private key, credentials … */
const SECRET_NAME = /(pass(?:word|wd|phrase)?|pwd|secret|token|api[-_.]?key|apikey|access[-_.]?key|private[-_.]?key|client[-_.]?secret|auth[-_.]?(?:key|token)|credential|signing[-_.]?key|encryption[-_.]?key|master[-_.]?key|session[-_.]?key|webhook[-_.]?secret|bearer|salt)$/i;
/** …unless the name says it is a pointer to one: its name, ARN, id, path, URL, length, type, expiry. */
const POINTER_NAME = /(name|arn|id|ids|path|url|uri|file|param(?:eter)?|ref|key[-_.]?id|length|len|size|type|version|ttl|expir(?:y|es|ation)|header|field|prefix|env|var|location|region|count|enabled|required|min|max|policy|rotation|_at|date|time|endpoint|host|domain|issuer|audience|scope|mode|format)$/i;

export function isSecretName(name: string): boolean {
  // `DB_PASSWORD_2`, `apiKey1`: trailing counters do not change what the name holds.
  const n = name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[^A-Za-z0-9]+/g, '_').replace(/[_\d]+$/, '');
  if (POINTER_NAME.test(n)) return false;
  return SECRET_NAME.test(n) || /(^|_)(pass(word|wd)?|pwd|secret|token|apikey|api_key)(_|$)/i.test(n);
}

export function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

function classes(s: string): number {
  return [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(s)).length;
}

/** Values that are obviously not secrets, whatever their name. */
export function isNonSecretShape(v: string): boolean {
  const t = v.trim();
  return (
    isPlaceholder(t) ||
    isDocumentedExample(t) ||
    isChecksumFailingToken(t) || // shaped like a GitHub/npm token, but not one the vendor issued
    (/^github_pat_/.test(t) && !fineGrainedTokenStructureOk(t)) ||
    /\$\{[^}]*\}/.test(t) || // ${ssm:…}, ${env:…}, ${self:…}, ${AWS::Region}
    /\{\{resolve:/.test(t) || // CloudFormation dynamic references
    /^arn:aws[\w-]*:/.test(t) ||
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(t) || // UUID
    /^(?:sha(?:1|256|384|512)-)[A-Za-z0-9+/=]+$/.test(t) || // subresource integrity
    /^data:[\w/+.-]+;base64,/.test(t) ||
    /^[a-z][a-z0-9+.-]*:\/\/[^@\s]*$/i.test(t) || // URLs without credentials
    /^\/[\w/.<>{}:-]*$/.test(t) || // paths, SSM parameter names
    /^[a-z][a-z0-9-]*(?:\/[a-z0-9._-]+)+$/i.test(t) || // secret names such as `orders/prod/database`
    /^(?:process\.env|os\.environ|env)\b/.test(t) ||
    /^[A-Z][A-Z0-9_]*$/.test(t) || // another variable's name
    /^\w+(?:[.-]\w+)*\.(?:json|ya?ml|pem|key|crt|txt|env)$/.test(t) || // a file name
    /^(true|false|yes|no|on|off|\d+(\.\d+)?)$/i.test(t)
  );
}

export type Strength = 'high' | 'medium';

/**
 * Does this value, stored under a secret-like name, look like a real secret? Passwords may be
 * short, tokens and keys are long and random.
 */
export function scoreSecret(name: string, value: string): Strength | undefined {
  const v = value.trim();
  if (isNonSecretShape(v)) return undefined;
  if (/\s/.test(v) && v.split(/\s+/).length > 2) return undefined; // prose, not a credential
  const isPassword = /(pass|pwd)/i.test(name);
  const h = entropy(v);
  const c = classes(v);
  if (isPassword) {
    if (v.length < 6) return undefined;
    if (/^[a-z]+$/i.test(v) && v.length < 12) return undefined; // a single word
    return c >= 2 && h >= 2.5 ? (v.length >= 12 && c >= 3 ? 'high' : 'medium') : undefined;
  }
  if (v.length < 16 || h < 3.3 || c < 2) return undefined;
  if (/^[a-z]+(?:[-_][a-z]+)+$/i.test(v)) return undefined; // kebab/snake words
  return h >= 4 || (v.length >= 32 && h >= 3.5) ? 'high' : 'medium';
}
