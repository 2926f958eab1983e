// Google service-account keys: the JSON file Google Cloud hands out (`"type": "service_account"`,
// a PEM `private_key`, the account's `client_email`), as a file or pasted into a string.
import type { SecretFormat } from './formats';
import { PEM_PRIVATE_KEY, pemLooksReal } from './pem';

export const GOOGLE_SERVICE_ACCOUNT_KEY: SecretFormat = { id: 'google-service-account-key', name: 'Google service-account key', pattern: PEM_PRIVATE_KEY };

/**
 * The project the key belongs to: from `name@<project>.iam.gserviceaccount.com`, else
 * `project_id`. An identifier, not a secret; limited to the characters project ids use so that a
 * message cannot carry anything else.
 */
export function serviceAccountProject(clientEmail: string | undefined, projectId: string | undefined): string {
  const fromEmail = /@([a-z0-9.:-]{1,100})\.iam\.gserviceaccount\.com$/.exec(clientEmail ?? '')?.[1];
  if (fromEmail) return fromEmail;
  return projectId && /^[a-z0-9.:-]{1,100}$/.test(projectId) ? projectId : 'unknown';
}

export interface EmbeddedServiceAccount {
  /** The PEM inside `value` (as written there, escapes included). */
  index: number;
  length: number;
  /** The decoded private key. */
  key: string;
  project: string;
}

/**
 * A whole service-account key file held in one string value (an environment variable, a string
 * literal): JSON with `"type": "service_account"` and a private key that is key material.
 */
export function embeddedServiceAccount(value: string): EmbeddedServiceAccount | undefined {
  if (!value.includes('service_account') || !value.includes('"private_key"')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const o = parsed as Record<string, unknown>;
  if (o.type !== 'service_account' || typeof o.private_key !== 'string' || !pemLooksReal(o.private_key.trim())) return undefined;
  const at = value.indexOf('"private_key"');
  const m = PEM_PRIVATE_KEY.exec(value.slice(at));
  if (!m) return undefined;
  return {
    index: at + m.index,
    length: m[0].length,
    key: o.private_key,
    project: serviceAccountProject(typeof o.client_email === 'string' ? o.client_email : undefined, typeof o.project_id === 'string' ? o.project_id : undefined),
  };
}
