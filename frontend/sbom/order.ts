// One order for every sorted list of the document.

/** Code-unit order, not locale order: the same on every machine. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
