// Checksums and structure of token formats that carry them. GitHub's prefixed tokens (ghp_, gho_,
// ghu_, ghs_, ghr_; since 2021) and npm's `npm_` tokens end with the base62 CRC32 of their 30
// random characters: a value whose checksum fails was not issued by the vendor (a hand-made fake,
// a placeholder, a truncated or edited copy).

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

let table: Uint32Array | undefined;

export function crc32(s: string): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  // The token alphabet is ASCII, so char codes are the bytes.
  for (let i = 0; i < s.length; i++) crc = table[(crc ^ s.charCodeAt(i)) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** Base62 (0-9A-Za-z), left-padded with `0` to `width`. */
function base62(n: number, width: number): string {
  let out = '';
  do {
    out = BASE62[n % 62] + out;
    n = Math.floor(n / 62);
  } while (n > 0);
  return out.padStart(width, '0');
}

/** `ghp_…`/`npm_…` with 36 characters after the prefix: do the last 6 encode the CRC32 of the first 30? */
export function prefixedTokenChecksumOk(token: string): boolean {
  const m = /^(?:gh[pousr]|npm)_([A-Za-z0-9]{30})([A-Za-z0-9]{6})$/.exec(token);
  return !!m && base62(crc32(m[1]), 6) === m[2];
}

/** A value shaped like a checksummed token whose checksum fails: not a real token. */
export function isChecksumFailingToken(value: string): boolean {
  return /^(?:gh[pousr]|npm)_[A-Za-z0-9]{36}$/.test(value) && !prefixedTokenChecksumOk(value);
}

/**
 * Fine-grained GitHub tokens (`github_pat_<22>_<59>`) have no public checksum: check the structure
 * (alphabet, lengths) and that the long part is random, as an issued token's is, not a filler.
 */
export function fineGrainedTokenStructureOk(token: string): boolean {
  const m = /^github_pat_([A-Za-z0-9]{22})_([A-Za-z0-9]{59})$/.exec(token);
  if (!m) return false;
  const random = m[2];
  if (!/[a-z]/.test(random) || !/[A-Z]/.test(random) || !/[0-9]/.test(random)) return false;
  const counts = new Map<string, number>();
  for (const c of random) counts.set(c, (counts.get(c) ?? 0) + 1);
  // 59 random base62 characters have ~40 distinct ones; fillers (`0000…`, `abcabc…`) far fewer.
  return counts.size >= 20 && /[0-9]/.test(m[1]);
}
