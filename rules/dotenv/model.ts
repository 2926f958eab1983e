// Settings files read as name → value entries with their ranges: `.env` files (KEY=value lines,
// parsed by a small tokenizer since dotenv syntax has no AST library; only assignments are read),
// and the credential files that have the same shape (rules/secrets/keyfile.ts builds those).
import type { Span } from '../api';

export interface DotenvEntry { name: string; keySpan: Span; value: string; valueSpan: Span }
/**
 * `format`: a `.env` file (absent), an AWS shared credentials file (INI: `[profile]` sections of
 * `key = value` lines), or a JSON key file (its top-level string fields; values decoded, spans
 * are their source inside the quotes).
 */
export interface DotenvModel { uri: string; text: string; entries: DotenvEntry[]; format?: 'aws-credentials' | 'json-key' }

export function buildDotenv(uri: string, text: string): DotenvModel {
  const entries: DotenvEntry[] = [];
  let offset = 0;
  for (const line of text.split('\n')) {
    const m = /^(\s*(?:export\s+)?)([A-Za-z_][A-Za-z0-9_.]*)(\s*=\s*)(.*?)\s*$/.exec(line.replace(/\r$/, ''));
    if (m) {
      const keyStart = offset + m[1].length;
      let valueStart = keyStart + m[2].length + m[3].length;
      let value = m[4];
      const q = value[0];
      if ((q === '"' || q === "'") && value.endsWith(q) && value.length >= 2) {
        value = value.slice(1, -1);
        valueStart += 1;
      } else {
        const hash = value.search(/\s#/);
        if (hash !== -1) value = value.slice(0, hash);
      }
      entries.push({
        name: m[2],
        keySpan: { start: keyStart, end: keyStart + m[2].length },
        value,
        valueSpan: { start: valueStart, end: valueStart + value.length },
      });
    }
    offset += line.length + 1;
  }
  return { uri, text, entries };
}
