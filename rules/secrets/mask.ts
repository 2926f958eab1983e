// Never show a whole secret: keep a few leading characters (enough to recognise a prefix such as
// `AKIA` or `ghp_`) and the length.
export function maskSecret(value: string): string {
  const v = value.trim();
  if (v.length <= 6) return '*'.repeat(v.length);
  const keep = Math.min(4, Math.floor(v.length / 5));
  return `${v.slice(0, keep)}${'*'.repeat(Math.min(8, v.length - keep))}… (${v.length} chars)`;
}
