// Reads what bench/frontend-trace.ts wrote into the daemon log for one build:
// "speck-trace <ms since node started> entry cpu <ms> | call <Method> <ms> | exit <code> cpu <ms>".

import { closeSync, openSync, readSync, statSync } from "node:fs";

export interface TraceCall {
  readonly method: string;
  /** When the call returned, ms since the frontend's node process started. */
  readonly end: number;
  readonly took: number;
}

export interface Trace {
  /** The bundle has been loaded and its first statement runs. */
  readonly entry: number;
  readonly calls: readonly TraceCall[];
  /** Process exit, ms since start. */
  readonly exit: number;
  /** CPU time (user + system) used by the time the bundle was loaded, and at exit. */
  readonly entryCpu: number;
  readonly exitCpu: number;
}

export function logSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

export function readLogFrom(file: string, offset: number): string {
  const size = logSize(file);
  if (size <= offset) return "";
  const buf = Buffer.alloc(size - offset);
  const fd = openSync(file, "r");
  try {
    readSync(fd, buf, 0, buf.length, offset);
  } finally {
    closeSync(fd);
  }
  return buf.toString("utf8");
}

/** The one trace in `text`; throws unless exactly one frontend run is in it. */
export function parseTrace(text: string): Trace {
  let entry: number | undefined;
  let exit: number | undefined;
  let entryCpu = Number.NaN;
  let exitCpu = Number.NaN;
  let entries = 0;
  const calls: TraceCall[] = [];
  for (const m of text.matchAll(/speck-trace (\d+(?:\.\d+)?) (entry|exit -?\d+|call (\w+) (\d+(?:\.\d+)?))(?: cpu (\d+(?:\.\d+)?))?/g)) {
    const at = Number(m[1]);
    const what = m[2] ?? "";
    const cpu = m[5] === undefined ? Number.NaN : Number(m[5]);
    if (what === "entry") {
      entry = at;
      entryCpu = cpu;
      entries++;
    } else if (what.startsWith("exit")) {
      exit = at;
      exitCpu = cpu;
    }
    else calls.push({ method: m[3] ?? "?", end: at, took: Number(m[4]) });
  }
  if (entries !== 1 || entry === undefined || exit === undefined) {
    throw new Error(`expected one traced frontend run in the daemon log, found ${entries} starts${exit === undefined ? " and no exit" : ""}`);
  }
  return { entry, calls, exit, entryCpu, exitCpu };
}

/**
 * How long at least one of `calls` was in flight: the union of their
 * intervals. Calls made at once overlap, so summing their durations would
 * count the same wait twice.
 */
export function busyMs(calls: readonly TraceCall[]): number {
  const spans = calls.map((c) => [c.end - c.took, c.end] as const).sort((a, b) => a[0] - b[0]);
  let busy = 0;
  let from = Number.NEGATIVE_INFINITY;
  let to = Number.NEGATIVE_INFINITY;
  for (const [start, end] of spans) {
    if (start > to) {
      if (to > from) busy += to - from;
      from = start;
      to = end;
    } else to = Math.max(to, end);
  }
  if (to > from) busy += to - from;
  return busy;
}
