// Counts for `.ci/run`'s end summary (issue 5): each robustness suite adds what
// it tried to one JSON file per suite under $SPECK_SUMMARY_DIR. Without that
// variable nothing is written, so local runs stay side-effect free.
//
// File: $SPECK_SUMMARY_DIR/<suite>.<pid>.json, e.g. {"badInputs": 66, "unexpected": 0}.
// One file per process (vitest runs test files in several workers), so no two
// processes write the same file; within a process the counters are added up.
// `.ci/run` sums every file by key.

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** What the summary counts; every suite fills in the keys it knows. */
export interface SummaryCounts {
  readonly badInputs?: number;
  readonly fuzzCases?: number;
  readonly faultsInjected?: number;
  readonly buildsUnderLoad?: number;
  readonly containersStarted?: number;
  readonly securityChecks?: number;
  /** Outcomes a test did not expect (a failing assertion counts here before it throws). */
  readonly unexpected?: number;
}

/** Adds `counts` to `$SPECK_SUMMARY_DIR/<suite>.<pid>.json`; a no-op when the variable is unset. */
export function recordSummary(suite: string, counts: SummaryCounts): void {
  const dir = process.env["SPECK_SUMMARY_DIR"];
  if (dir === undefined || dir === "") return;
  if (!/^[a-z0-9-]+$/.test(suite)) throw new Error(`summary suite name must be kebab-case: ${suite}`);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${suite}.${process.pid}.json`);
  let current: Record<string, number> = {};
  try {
    current = JSON.parse(readFileSync(file, "utf8")) as Record<string, number>;
  } catch {
    // First record for this suite.
  }
  for (const [k, v] of Object.entries(counts)) if (typeof v === "number") current[k] = (current[k] ?? 0) + v;
  writeFileSync(file, `${JSON.stringify(current)}\n`);
}
