// What every benchmark section is and returns. A section is a named async
// function; run.ts keeps them in one ordered list, so adding one (the
// multi-platform section, say) is one entry in SECTIONS and one file.

import type { Daemon } from "../test/e2e/daemon.js";

/** One table cell: numbers stay numbers in results.json and are right-aligned when printed. */
export type Cell = string | number;
export type Row = Readonly<Record<string, Cell>>;

export interface Table {
  readonly title: string;
  readonly rows: readonly Row[];
}

/** A goal from the issues, checked against what was measured (never asserted: benches report). */
export interface Target {
  readonly what: string;
  readonly goal: string;
  readonly measured: string;
  readonly met: boolean;
}

export interface SectionResult {
  readonly tables: readonly Table[];
  readonly targets: readonly Target[];
  /** Sentences that help read the tables (what was built, how, caveats). */
  readonly notes: readonly string[];
}

export interface BenchContext {
  /** The daemon, for sections that need one; null when none was asked for. */
  readonly daemon: Daemon | null;
  /** Repetitions for timed, interleaved measurements. */
  readonly reps: number;
  /** Per-build timeout. */
  readonly buildTimeoutMs: number;
  /** Progress lines go to stderr (stdout holds the tables). */
  readonly log: (line: string) => void;
}

export interface Section {
  readonly id: string;
  readonly title: string;
  readonly needsDaemon: boolean;
  run(ctx: BenchContext): Promise<SectionResult>;
}

/** A section whose daemon is guaranteed present (run.ts checks needsDaemon first). */
export function daemonOf(ctx: BenchContext): Daemon {
  if (ctx.daemon === null) throw new Error("internal: a daemon section ran without a daemon");
  return ctx.daemon;
}
