// A Cargo workspace on disk for the Rust unit tests, as offlineBuild reads a
// build context.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { onTestFinished } from "vitest";

/** Writes `files` (context path -> text) into a new directory, removed when the test ends; returns the path of its speck.yaml. */
export function tempWorkspace(files: Readonly<Record<string, string>>): string {
  const dir = mkdtempSync(join(tmpdir(), "speck-rust-"));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return join(dir, "speck.yaml");
}
