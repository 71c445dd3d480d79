// Interleaved timing: on a shared 2-core machine the neighbours' load drifts
// over minutes, so variants take turns (A, B, C, then B, C, A, …) and each
// gets the same share of quiet and busy moments; medians and ratios to one
// base variant are reported with every run listed beside them.

import type { Row } from "./section.js";
import { median, ratio, seconds, timed } from "./stats.js";

export interface Variant<T> {
  readonly name: string;
  run(): Promise<T>;
}

export interface Timing<T> {
  readonly ms: number;
  readonly value: T;
}

/** Runs every variant `reps` times after one unmeasured warm-up each, rotating who goes first. */
export async function interleave<T>(variants: readonly Variant<T>[], reps: number, log: (l: string) => void, what: string): Promise<Map<string, Timing<T>[]>> {
  const out = new Map(variants.map((v) => [v.name, [] as Timing<T>[]]));
  for (const v of variants) await v.run();
  for (let rep = 0; rep < reps; rep++) {
    log(`${what} ${rep + 1}/${reps}`);
    for (let i = 0; i < variants.length; i++) {
      const v = variants[(rep + i) % variants.length];
      if (v !== undefined) out.get(v.name)?.push(await timed(() => v.run()));
    }
  }
  return out;
}

/** One row per variant: median seconds, the ratio of medians to `base`, and every run. */
export function wallRows(times: ReadonlyMap<string, readonly { readonly ms: number }[]>, base: string): Row[] {
  const b = median((times.get(base) ?? []).map((t) => t.ms));
  return [...times].map(([name, xs]) => {
    const ms = xs.map((x) => x.ms);
    return { variant: name, "median s": seconds(median(ms)), [`/ ${base}`]: ratio(median(ms), b), "runs s": ms.map((x) => seconds(x).toFixed(2)).join(" ") };
  });
}
