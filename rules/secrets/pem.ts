// PEM private keys: the BEGIN line is the format; the body says whether it is a key or a
// placeholder (`...`, `<your key>`, `YOUR_PRIVATE_KEY`, `xxxx`).

/** The header, and the body up to the matching END line when the same value holds it. */
export const PEM_PRIVATE_KEY = /-----BEGIN ((?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?)-----(?:[\s\S]{0,20000}?-----END \1-----)?/;

/**
 * The base64 of a PEM body: newlines (real, or `\n` escapes of a key inside a JSON string) and
 * `Name: value` header lines (encrypted PEM, PGP armour) removed.
 */
function pemBodyBase64(body: string): string {
  return body
    .replace(/\\r\\n|\\n|\\r/g, '\n')
    .split('\n')
    .filter((l) => !/^[\w-]+:\s/.test(l.trim()))
    .join('')
    .replace(/\s+/g, '');
}

/**
 * Is `pem` (a BEGIN line and what follows it in the same value, up to its END line) a key? A
 * header with nothing after it is a key split over several literals (`'-----BEGIN …-----\\n' +
 * '…'`): reported. A body must be long base64 with the entropy of key material; DER keys have
 * runs of `A` (zero bytes), so repeated characters alone do not make a placeholder.
 */
export function pemLooksReal(pem: string): boolean {
  const header = /^-----BEGIN [A-Z ]+-----/.exec(pem)?.[0];
  if (!header) return false;
  const end = pem.indexOf('-----END ', header.length);
  const body = pemBodyBase64(pem.slice(header.length, end === -1 ? undefined : end));
  if (body === '') return end === -1;
  if (!/^[A-Za-z0-9+/]+={0,2}(?:=[A-Za-z0-9+/]{4})?$/.test(body) || body.length < 64) return false;
  if (/EXAMPLE/i.test(body)) return false;
  return entropy(body) >= 4.5;
}

function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) h -= (n / s.length) * Math.log2(n / s.length);
  return h;
}
