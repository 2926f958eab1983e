// Which sink families a validating regular expression keeps safe: it must match the whole
// value and admit no character that means something to the sink.
import type { Family } from './types';

/** Characters that change the meaning of a string for each family. */
const DANGEROUS: Record<Family, string> = {
  shell: ';&|$`<>()\n\r\'"\\*?[]{}~!#\0',
  path: '/\\\0',
  sql: '\'"\\;\0',
  code: '\'"`\\(){};\n\r$+=<>\0',
  url: '/\\?#@:%\0',
  html: '<>&\'"\0',
  nosql: '\'"\\ \t:#=()<>,$;{}[]|&!+\n\r\0',
  // A non-string coerced by `test` becomes `[object Object]` (or its elements joined by commas).
  object: '[] ,',
  regex: '.*+?^${}()|[]\\\0',
  deserialize: '{}[]:"\'!$\\\n\r\0',
  redirect: '/\\:@%\t\n\r\0',
};

const ANY = null;

/**
 * Families a full-match regex keeps safe: anchored at both ends (no `m` flag, no top-level
 * alternation), and every character it can match is harmless for the family.
 */
export function regexFamilies(pattern: string, flags: string): Family[] {
  if (flags.includes('m') || !pattern.startsWith('^') || !pattern.endsWith('$') || /(^|[^\\])(\\\\)*\\\$$/.test(pattern)) return [];
  const body = pattern.slice(1, -1);
  const chars = matchable(body, flags.includes('i'));
  if (chars === ANY) return [];
  return (Object.keys(DANGEROUS) as Family[]).filter((f) => ![...DANGEROUS[f]].some((c) => chars.has(c)));
}

/** The set of characters a pattern can consume (ASCII approximation), or ANY. */
function matchable(p: string, ignoreCase: boolean): Set<string> | null {
  const out = new Set<string>();
  const addRange = (a: number, b: number) => { for (let c = a; c <= b && c < 0x80; c++) out.add(String.fromCharCode(c)); if (b >= 0x80) out.add('\0'); };
  const addClass = (c: string): boolean => {
    switch (c) {
      case 'd': addRange(48, 57); return true;
      case 'w': addRange(48, 57); addRange(65, 90); addRange(97, 122); out.add('_'); return true;
      case 's': for (const x of ' \t\n\r\v\f') out.add(x); return true;
      case 'n': out.add('\n'); return true;
      case 'r': out.add('\r'); return true;
      case 't': out.add('\t'); return true;
      case 'b': case 'B': return true;
      default:
        if (/[DWSpPuxc0-9kv]/.test(c)) return false;
        out.add(c);
        return true;
    }
  };
  let depth = 0;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') {
      if (!addClass(p[++i] ?? '')) return ANY;
    } else if (c === '[') {
      if (p[i + 1] === '^') return ANY;
      let j = i + 1;
      let prev: number | undefined;
      for (; j < p.length && p[j] !== ']'; j++) {
        let code: number | undefined;
        if (p[j] === '\\') {
          const k = p[++j] ?? '';
          if (!/[\]\\\-\/.^$*+?(){}|[]/.test(k)) { if (!addClass(k)) return ANY; prev = undefined; continue; }
          code = k.charCodeAt(0);
        } else if (p[j] === '-' && prev !== undefined && j + 1 < p.length && p[j + 1] !== ']') {
          let hi = p[++j];
          if (hi === '\\') hi = p[++j] ?? '';
          addRange(prev, hi.charCodeAt(0));
          prev = undefined;
          continue;
        } else code = p.charCodeAt(j);
        out.add(String.fromCharCode(code));
        prev = code;
      }
      i = j;
    } else if (c === '(') {
      // Lookarounds consume nothing: skip them.
      if (p[i + 1] === '?' && (p[i + 2] === '=' || p[i + 2] === '!' || (p[i + 2] === '<' && (p[i + 3] === '=' || p[i + 3] === '!')))) {
        let d = 0;
        for (; i < p.length; i++) {
          if (p[i] === '\\') { i++; continue; }
          if (p[i] === '(') d++;
          else if (p[i] === ')' && --d === 0) break;
        }
        continue;
      }
      if (p[i + 1] === '?') i += p[i + 2] === '<' ? p.indexOf('>', i) - i : 2;
      depth++;
    } else if (c === ')') depth--;
    else if (c === '|') { if (depth === 0) return ANY; }
    else if (c === '.') return ANY;
    else if (c === '{') { const close = p.indexOf('}', i); if (close > i && /^\{\d*,?\d*\}$/.test(p.slice(i, close + 1))) i = close; else out.add(c); }
    else if ('*+?'.includes(c)) continue;
    else if (c === '^' || c === '$') return ANY;
    else out.add(c);
  }
  if (ignoreCase) for (const c of [...out]) { out.add(c.toLowerCase()); out.add(c.toUpperCase()); }
  return out;
}
