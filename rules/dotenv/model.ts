// `.env` files: KEY=value lines with their ranges. Parsed by a small tokenizer since dotenv
// syntax has no AST library; only assignments are read.
import type { Span } from '../api';

export interface DotenvEntry { name: string; keySpan: Span; value: string; valueSpan: Span }
export interface DotenvModel { uri: string; text: string; entries: DotenvEntry[] }

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
