// IAM wildcards (`*` any run of characters, `?` one character) matched without building a regular
// expression: a pattern from a template can be as long or as starred as its author likes, and a
// RegExp of it either fails to compile ("too large") or backtracks for ages. Greedy matching with
// one backtrack point is O(pattern × text) at worst, linear in practice.

/** Like `^pattern$` with `*` → `.*` and `?` → `.` (line terminators excluded, as `.` does). */
export function globMatch(pattern: string, text: string, ignoreCase = false): boolean {
  if (ignoreCase) {
    pattern = pattern.toLowerCase();
    text = text.toLowerCase();
  }
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    const c = text[t];
    const lineBreak = c === '\n' || c === '\r' || c === '\u2028' || c === '\u2029';
    if (p < pattern.length && pattern[p] !== '*' && (pattern[p] === c || (pattern[p] === '?' && !lineBreak))) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = t;
    } else if (star !== -1 && !isLineBreak(text[mark])) {
      // Let the last `*` take one more character and retry from there.
      p = star + 1;
      t = ++mark;
    } else return false;
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

function isLineBreak(c: string | undefined): boolean {
  return c === '\n' || c === '\r' || c === '\u2028' || c === '\u2029';
}
