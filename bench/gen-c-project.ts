// A generated C program of about a hundred translation units in several
// directories with shared headers: the input of the incremental-compile
// checks (test/e2e/incremental.test.ts) and of the bench's incremental table.
//
// Layout, for `dirs` directories of `perDir` units each:
//   include/common.h      read by every unit
//   include/config.h      SPECK_GEN_VALUE; read by main.c and the first unit of each directory
//   include/unused.h      read by no unit (the "unread file")
//   src/<dir>/<dir>.h     read by the units of that directory
//   src/<dir>/u<NN>.c     one unit: `work` helper functions, so a compile takes real time
//   src/main.c            calls every unit, prints the checksum and SPECK_GEN_VALUE
// The program prints `value=<SPECK_GEN_VALUE> sum=<checksum>`.

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface GenOptions {
  readonly dirs?: number;
  readonly perDir?: number;
  /** The constant in include/config.h that the program prints. */
  readonly value?: number;
  /** The `# syntax=` image of the generated speck.yaml. */
  readonly syntax?: string;
  /**
   * Written into a comment atop every file: a build of a salted tree shares no
   * cache with one of another salt, so a "cold" build is cold on a daemon that
   * built the program before.
   */
  readonly salt?: string;
  /**
   * Helper functions per unit (default 20): how much each compile costs. At 20
   * a unit is ~400 lines and takes ~0.15 s of gcc -Os (user time, dev host), a
   * middling real file, and one cc over all 101 ~15 s; at 1, process start-up is
   * most of what a build measures (the e2e test uses 1: it counts, not times).
   */
  readonly work?: number;
}

export interface GeneratedProject {
  /** Every unit, relative to the project root, main.c last. */
  readonly units: readonly string[];
  /** Units that read include/config.h (directly). */
  readonly configReaders: readonly string[];
  /** Units of each directory, by directory name. */
  readonly byDir: Readonly<Record<string, readonly string[]>>;
}

const DIR_NAMES = ["core", "util", "net", "io", "fmt", "calc", "text", "misc"];

export function genCProject(root: string, opts: GenOptions = {}): GeneratedProject {
  const dirs = DIR_NAMES.slice(0, opts.dirs ?? 4);
  const perDir = opts.perDir ?? 25;
  const salt = opts.salt === undefined ? "" : `/* ${opts.salt.replace(/\*\//g, "")} */\n`;
  const write = (rel: string, text: string): void => {
    mkdirSync(join(root, rel, ".."), { recursive: true });
    writeFileSync(join(root, rel), rel.endsWith(".yaml") ? text : salt + text);
  };
  write("speck.yaml", `# syntax=${opts.syntax ?? "local/speck"}\nname: gen\nsources: ["src/**/*.c"]\ninclude: [include]\n`);
  write("include/common.h", "#ifndef COMMON_H\n#define COMMON_H\ntypedef unsigned long u64;\nstatic inline u64 mix(u64 h, u64 v) { return (h ^ v) * 0x100000001b3ULL; }\n#endif\n");
  write("include/config.h", configHeader(opts.value ?? 1));
  write("include/unused.h", "/* read by no unit */\n#define UNUSED 1\n");
  const units: string[] = [];
  const configReaders: string[] = [];
  const byDir: Record<string, string[]> = {};
  const calls: string[] = [];
  const decls: string[] = [];
  for (const d of dirs) {
    const header = [`#ifndef ${d.toUpperCase()}_H`, `#define ${d.toUpperCase()}_H`, `#include "common.h"`];
    byDir[d] = [];
    for (let i = 0; i < perDir; i++) {
      const fn = `${d}_${String(i).padStart(2, "0")}`;
      const rel = `src/${d}/u${String(i).padStart(2, "0")}.c`;
      header.push(`u64 ${fn}(u64 x);`);
      const readsConfig = i === 0;
      write(rel, unitSource(d, fn, i, readsConfig, opts.work ?? 20));
      units.push(rel);
      byDir[d].push(rel);
      if (readsConfig) configReaders.push(rel);
      calls.push(`  h = mix(h, ${fn}(h));`);
    }
    header.push("#endif", "");
    write(`src/${d}/${d}.h`, header.join("\n"));
    decls.push(`#include "${d}/${d}.h"`);
  }
  write(
    "src/main.c",
    [`#include <stdio.h>`, `#include "config.h"`, ...decls, "", "int main(void) {", "  u64 h = 1469598103934665603ULL;", ...calls, `  printf("value=%d sum=%lu\\n", SPECK_GEN_VALUE, h);`, "  return 0;", "}", ""].join("\n"),
  );
  units.push("src/main.c");
  configReaders.push("src/main.c");
  return { units, configReaders, byDir };
}

/** Rewrites include/config.h with another constant (the stale-object check). */
export function writeConfig(root: string, value: number): void {
  writeFileSync(join(root, "include/config.h"), configHeader(value));
}

function configHeader(value: number): string {
  return `#ifndef CONFIG_H\n#define CONFIG_H\n#define SPECK_GEN_VALUE ${value}\n#endif\n`;
}

function unitSource(dir: string, fn: string, i: number, readsConfig: boolean, work: number): string {
  // Enough code that a compile is not all process start-up: per helper, a
  // table, a switch and a loop, kept apart (no inlining into one another).
  const helpers = Array.from({ length: work }, (_, h) => {
    const cases = Array.from({ length: 12 }, (_, k) => `    case ${k}: acc = mix(acc, x * ${k * 7 + i + h + 3}ULL + t${h}[${(k * 5) % 12}]); break;`);
    return [
      `static const u64 t${h}[12] = {${Array.from({ length: 12 }, (_, k) => `${(k + 1) * 2654435761 + i + h}ULL`).join(", ")}};`,
      `__attribute__((noinline)) static u64 step${h}_${fn}(u64 acc, u64 x) {`,
      `  for (u64 k = 0; k < (x & 7) + ${h + 2}; k++) acc = mix(acc, k ^ t${h}[k % 12]);`,
      "  switch (x % 12) {",
      ...cases,
      "  }",
      "  return acc;",
      "}",
      "",
    ].join("\n");
  });
  const calls = Array.from({ length: work }, (_, h) => `  acc = step${h}_${fn}(acc, x + ${h}ULL);`);
  return [
    `#include "${dir}.h"`,
    ...(readsConfig ? [`#include "config.h"`] : []),
    "",
    ...helpers,
    `u64 ${fn}(u64 x) {`,
    `  u64 acc = ${i + 1}ULL${readsConfig ? " + SPECK_GEN_VALUE" : ""};`,
    ...calls,
    "  return acc;",
    "}",
    "",
  ].join("\n");
}
