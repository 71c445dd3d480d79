// Plain-text tables with aligned columns: numbers right-aligned with thousands
// separators, text left-aligned. The column set is the union of the rows' keys,
// in first-seen order, so rows may leave cells out.

import type { Cell, Row, Table } from "./section.js";

/** Decimals a numeric column needs (0 to 2): 1.9 and 2 print as 1.90 and 2.00 when 1.95 is there. */
function decimals(values: readonly (Cell | undefined)[]): number {
  let d = 0;
  for (const v of values) {
    if (typeof v !== "number" || Number.isInteger(v)) continue;
    const frac = v.toFixed(2).replace(/0+$/, "").split(".")[1] ?? "";
    d = Math.max(d, frac.length);
  }
  return d;
}

function show(c: Cell | undefined, digits: number): string {
  if (c === undefined) return "";
  if (typeof c === "number") return c.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return c;
}

export function formatTable(t: Table): string {
  const cols: string[] = [];
  for (const r of t.rows) for (const k of Object.keys(r)) if (!cols.includes(k)) cols.push(k);
  if (cols.length === 0) return `${t.title}\n  (no rows)\n`;
  const numeric = cols.map((c) => t.rows.every((r) => r[c] === undefined || typeof r[c] === "number"));
  const digits = cols.map((c) => decimals(t.rows.map((r) => r[c])));
  const cells = t.rows.map((r) => cols.map((c, i) => show(r[c], digits[i] ?? 0)));
  const widths = cols.map((c, i) => Math.max(c.length, ...cells.map((row) => (row[i] ?? "").length)));
  const line = (vals: readonly string[]) =>
    vals.map((v, i) => (numeric[i] ? v.padStart(widths[i] ?? 0) : v.padEnd(widths[i] ?? 0))).join("  ").trimEnd();
  const out = [t.title, line(cols), widths.map((w) => "-".repeat(w)).join("  "), ...cells.map(line)];
  return `${out.join("\n")}\n`;
}
