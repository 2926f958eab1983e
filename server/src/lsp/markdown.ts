// Plain text from findings into Markdown (hovers, the audit report). Messages use `code spans`
// on purpose; everything else is escaped so text taken from a workspace file (names, values,
// paths) cannot turn into links, HTML or table breaks.
/** `table`: inside a table cell, where `|` ends the cell even in a code span. */
export function mdInline(text: string, table = false): string {
  const oneLine = text.replace(/\r?\n/g, ' ');
  const parts = oneLine.split('`');
  // An odd number of backticks: no balanced spans, escape it all.
  if (parts.length % 2 === 0) return escape(oneLine);
  return parts.map((p, i) => (i % 2 === 1 ? '`' + (table ? p.replace(/\|/g, '\\|') : p) + '`' : escape(p))).join('');
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]<>()#+!|~]/g, '\\$&');
}
