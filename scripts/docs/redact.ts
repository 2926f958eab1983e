// Docs never show a whole secret, fake or not: known secret formats anywhere in an example, and
// the spans a secrets rule flags, keep their first 4 characters and the rest becomes `•`. The
// length stays, so caret markers still line up (and secret scanners do not trip on the docs).
import { matchFormats } from '../../rules/secrets/formats';
import { parseMarkers } from '../../test/support/markers';

const maskSpan = (line: string, start: number, end: number) =>
  line.slice(0, start + 4) + line.slice(start + 4, end).replace(/[^\s'"`]/g, '•') + line.slice(end);

export function redactSecrets(text: string, flaggedBy?: (ruleId: string) => boolean): string {
  const lines = text.split('\n');
  // Spans marked by a secrets rule (the code line above each marker).
  if (flaggedBy) {
    for (const m of parseMarkers(text)) {
      if (m.line >= 0 && flaggedBy(m.ruleId)) lines[m.line] = maskSpan(lines[m.line], m.col, Math.min(m.endCol, lines[m.line].length));
    }
  }
  return lines
    .map((line) => {
      let out = line;
      for (const hit of matchFormats(line)) out = maskSpan(out, hit.index, hit.index + hit.secret.length);
      return out;
    })
    .join('\n');
}
