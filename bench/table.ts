// Plain-text tables with aligned columns: numbers right-aligned with thousands
// separators, text left-aligned. The column set is the union of the rows' keys,
// in first-seen order, so rows may leave cells out.

import type { Cell, Row, Table } from "./section.js";

function show(c: Cell | undefined): string {
  if (c === undefined) return "";
  if (typeof c === "number") return Number.isInteger(c) ? c.toLocaleString("en-US") : c.toLocaleString("en-US", { maximumFractionDigits: 2 });
  return c;
}

export function formatTable(t: Table): string {
  const cols: string[] = [];
  for (const r of t.rows) for (const k of Object.keys(r)) if (!cols.includes(k)) cols.push(k);
  if (cols.length === 0) return `${t.title}\n  (no rows)\n`;
  const numeric = cols.map((c) => t.rows.every((r) => r[c] === undefined || typeof r[c] === "number"));
  const cells = t.rows.map((r) => cols.map((c) => show(r[c])));
  const widths = cols.map((c, i) => Math.max(c.length, ...cells.map((row) => (row[i] ?? "").length)));
  const line = (vals: readonly string[]) =>
    vals.map((v, i) => (numeric[i] ? v.padStart(widths[i] ?? 0) : v.padEnd(widths[i] ?? 0))).join("  ").trimEnd();
  const out = [t.title, line(cols), widths.map((w) => "-".repeat(w)).join("  "), ...cells.map(line)];
  return `${out.join("\n")}\n`;
}
