// A small unified line diff (LCS), enough to show what a rule's fix changes in a fixture.
// Fixtures are short, so the quadratic table is fine and the output is deterministic.

type Op = { kind: ' ' | '-' | '+'; text: string; a: number; b: number };

function lineOps(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  // lcs[i][j] = length of the LCS of a[i..] and b[j..]
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) ops.push({ kind: ' ', text: a[i], a: i++, b: j++ });
    // Deletions before insertions, as diff(1) prints them.
    else if (i < n && (j === m || lcs[i + 1][j] >= lcs[i][j + 1])) ops.push({ kind: '-', text: a[i], a: i++, b: j });
    else ops.push({ kind: '+', text: b[j], a: i, b: j++ });
  }
  return ops;
}

/** Unified diff hunks (`@@ -a,n +b,m @@`) between two texts; '' when they are equal. */
export function unifiedDiff(before: string, after: string, context = 3): string {
  const ops = lineOps(before.split('\n'), after.split('\n'));
  const changed = ops.map((o, k) => (o.kind !== ' ' ? k : -1)).filter((k) => k >= 0);
  if (changed.length === 0) return '';
  // Group changes whose context windows touch into one hunk.
  const hunks: [number, number][] = [];
  for (const k of changed) {
    const lo = Math.max(0, k - context);
    const hi = Math.min(ops.length - 1, k + context);
    const last = hunks[hunks.length - 1];
    if (last && lo <= last[1] + 1) last[1] = hi;
    else hunks.push([lo, hi]);
  }
  const out: string[] = [];
  for (const [lo, hi] of hunks) {
    const slice = ops.slice(lo, hi + 1);
    const aLen = slice.filter((o) => o.kind !== '+').length;
    const bLen = slice.filter((o) => o.kind !== '-').length;
    out.push(`@@ -${slice[0].a + 1},${aLen} +${slice[0].b + 1},${bLen} @@`);
    for (const o of slice) out.push(`${o.kind}${o.text}`);
  }
  return out.join('\n');
}
