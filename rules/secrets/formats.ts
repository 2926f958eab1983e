// Known secret formats, each recognised by its structure (prefix, length, alphabet) on a value
// the parser already isolated (a string literal, a YAML scalar, a dotenv value).
import { prefixedTokenChecksumOk, fineGrainedTokenStructureOk } from './checksum';
import { PEM_PRIVATE_KEY, pemLooksReal } from './pem';

export interface SecretFormat {
  id: string;
  /** Human name used in messages. */
  name: string;
  /** Matches the secret inside a value; group 0 is the secret. */
  pattern: RegExp;
  /** Extra structural check on a match (`value` is the whole value, `index` where it matched). */
  verify?: (match: string, value: string, index: number) => boolean;
  /** `verify` tells examples apart itself (key material has runs that look like fillers). */
  ownExampleCheck?: boolean;
  /** Test-mode credentials are reported as warnings. */
  severity?: 'warning';
}

const b64urlJson = (part: string): boolean => {
  try {
    const json = Buffer.from(part.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
    const v = JSON.parse(json);
    return typeof v === 'object' && v !== null;
  } catch {
    return false;
  }
};

const urlWithPassword = (raw: string): boolean => {
  try {
    const u = new URL(raw);
    const pw = decodeURIComponent(u.password);
    return pw.length >= 4 && !isPlaceholder(pw) && !/^[$%{<]/.test(pw) && !/^(password|pass|pwd|secret)$/i.test(pw);
  } catch {
    return false;
  }
};

export const FORMATS: SecretFormat[] = [
  { id: 'aws-access-key-id', name: 'AWS access key id', pattern: /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}\b/ },
  // A failing checksum means GitHub never issued it: a fake, not reported (see checksum.ts).
  { id: 'github-token', name: 'GitHub token', pattern: /\bgh[pousr]_[A-Za-z0-9]{36}\b/, verify: prefixedTokenChecksumOk },
  { id: 'github-fine-grained-token', name: 'GitHub fine-grained token', pattern: /\bgithub_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}\b/, verify: fineGrainedTokenStructureOk },
  { id: 'gitlab-token', name: 'GitLab token', pattern: /\bglpat-[A-Za-z0-9_-]{20}\b/ },
  { id: 'slack-token', name: 'Slack token', pattern: /\bxox[abposr]-(?:\d+-)+[A-Za-z0-9]{16,}\b/ },
  { id: 'slack-webhook', name: 'Slack webhook URL', pattern: /https:\/\/hooks\.slack\.com\/services\/T[A-Z0-9]{6,}\/B[A-Z0-9]{6,}\/[A-Za-z0-9]{20,}/ },
  { id: 'stripe-live-key', name: 'Stripe live secret key', pattern: /\b(?:sk|rk)_live_[A-Za-z0-9]{20,}\b/ },
  { id: 'stripe-test-key', name: 'Stripe test secret key', pattern: /\b(?:sk|rk)_test_[A-Za-z0-9]{20,}\b/, severity: 'warning' },
  { id: 'twilio-api-key', name: 'Twilio API key', pattern: /\bSK[0-9a-f]{32}\b/ },
  { id: 'sendgrid-api-key', name: 'SendGrid API key', pattern: /\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b/ },
  { id: 'google-api-key', name: 'Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { id: 'azure-storage-connection-string', name: 'Azure storage connection string', pattern: /AccountKey=[A-Za-z0-9+/]{86}==/ },
  { id: 'npm-token', name: 'npm access token', pattern: /\bnpm_[A-Za-z0-9]{36}\b/, verify: prefixedTokenChecksumOk },
  { id: 'openai-api-key', name: 'OpenAI API key', pattern: /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,}\b/ },
  { id: 'anthropic-api-key', name: 'Anthropic API key', pattern: /\bsk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_-]{80,}\b/ },
  {
    // The whole PEM when its END line is in the same value; its body must be key material.
    id: 'private-key', name: 'private key', pattern: PEM_PRIVATE_KEY,
    verify: (m, value, index) => pemLooksReal(/-----END /.test(m) ? m : value.slice(index)),
    ownExampleCheck: true,
  },
  {
    id: 'jwt', name: 'JSON Web Token', pattern: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{20,}/,
    verify: (m) => m.split('.').slice(0, 2).every(b64urlJson),
  },
  {
    id: 'url-with-password', name: 'password in a connection string',
    pattern: /\b[a-z][a-z0-9+.-]{1,20}:\/\/[^\s:/@'"`]+:[^\s@/'"`]+@[^\s'"`]+/i,
    verify: urlWithPassword,
  },
];

export interface FormatMatch { format: SecretFormat; index: number; secret: string }

/** No format matches fewer characters (the shortest is a URL with a 4-character password). */
const MIN_FORMAT_LENGTH = 10;

export function matchFormats(value: string): FormatMatch[] {
  const out: FormatMatch[] = [];
  if (value.length < MIN_FORMAT_LENGTH) return out;
  for (const format of FORMATS) {
    const m = format.pattern.exec(value);
    if (!m) continue;
    if (format.verify && !format.verify(m[0], value, m.index)) continue;
    if (!format.ownExampleCheck && isDocumentedExample(m[0])) continue;
    out.push({ format, index: m.index, secret: m[0] });
  }
  return out;
}

/** Vendors' documented example keys, e.g. AWS's `AKIAIOSFODNN7EXAMPLE`. */
export function isDocumentedExample(v: string): boolean {
  return /EXAMPLE|example|SAMPLE|sample|dummy|DUMMY|placeholder/.test(v) || /(.)\1{7,}/.test(v) || /0123456789|abcdefghij|ABCDEFGHIJ/i.test(v);
}

const PLACEHOLDER = /^(?:<[^>]*>|\[[^\]]*\]|\{[^}]*\}|x+|\*+|\.+|-+|_+|#+|\?+|0+|null|none|nil|undefined|todo|tbd|fixme|changeme|change[-_ ]?me|replace[-_ ]?me|your[-_ ].*|my[-_ ]?(?:secret|password|token|key).*|.*placeholder.*|.*example.*|dummy.*|fake.*|test|testing|password|passwd|secret|token|api[-_]?key|default|empty|n\/a|redacted|hidden|masked|\*\*\*.*)$/i;

export function isPlaceholder(v: string): boolean {
  const t = v.trim();
  return t.length === 0 || PLACEHOLDER.test(t) || /^(.)\1+$/.test(t);
}

/**
 * An AWS secret access key is 40 base64 characters: too generic alone, but next to an access key
 * id in the same file it is the other half of the credential pair.
 */
export const AWS_SECRET_KEY: SecretFormat = { id: 'aws-secret-access-key', name: 'AWS secret access key (paired with an access key id)', pattern: /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/ };

export function looksLikeAwsSecretKey(v: string): boolean {
  return /^[A-Za-z0-9/+]{40}$/.test(v) && /[a-z]/.test(v) && /[A-Z]/.test(v) && /\d/.test(v) && !isDocumentedExample(v);
}
