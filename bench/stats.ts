// Small statistics for timed repetitions: medians resist the odd slow run
// that a shared 2-core machine produces.

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? Number.NaN) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

export function seconds(ms: number): number {
  return +(ms / 1000).toFixed(2);
}

export function ratio(a: number, b: number): number {
  return +(a / b).toFixed(2);
}

/** Wall time of `f` in milliseconds, with its value. */
export async function timed<T>(f: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await f();
  return { ms: performance.now() - t0, value };
}
