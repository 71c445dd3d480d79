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
//
// With `build: "cmake"` the same units come with a CMakeLists.txt instead of
// `sources:` (issue 21), shaped like the projects people bring:
//   CMakeLists.txt        every unit but main.c in a static library `genunits`,
//                         the executable `gen` (main.c) linking it; GEN_TAG a
//                         cache variable (`options: {GEN_TAG: x}` sets it)
//   include/gen_config.h.in  configure_file template -> <build>/generated/gen_config.h
//                         (GEN_TAG, GEN_VERSION): read by main.c only
// and the program prints `value=<SPECK_GEN_VALUE> sum=<checksum> tag=<GEN_TAG> version=<x.y.z>`.

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
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
  /** `sources` (default): speck.yaml lists the sources. `cmake`: a CMakeLists.txt builds them. */
  readonly build?: "sources" | "cmake";
}

export interface GeneratedProject {
  /** Every unit, relative to the project root, main.c last. */
  readonly units: readonly string[];
  /** Units that read include/config.h (directly). */
  readonly configReaders: readonly string[];
  /** Units of each directory, by directory name. */
  readonly byDir: Readonly<Record<string, readonly string[]>>;
  /** With `build: "cmake"`: units that read the configure-generated gen_config.h (main.c). */
  readonly generatedReaders: readonly string[];
}

/** The CMake target of the executable, and its default GEN_TAG. */
export const CMAKE_TARGET = "gen";
export const CMAKE_DEFAULT_TAG = "plain";
export const CMAKE_DEFAULT_VERSION = "1.2.3";

const DIR_NAMES = ["core", "util", "net", "io", "fmt", "calc", "text", "misc"];

export function genCProject(root: string, opts: GenOptions = {}): GeneratedProject {
  const dirs = DIR_NAMES.slice(0, opts.dirs ?? 4);
  const perDir = opts.perDir ?? 25;
  const cmake = opts.build === "cmake";
  const saltText = opts.salt === undefined ? undefined : opts.salt.replace(/\*\//g, "").replace(/\n/g, " ");
  const write = (rel: string, text: string): void => {
    mkdirSync(join(root, rel, ".."), { recursive: true });
    // CMake's comment is `#`; a C comment would be a syntax error there.
    const salt = saltText === undefined || rel.endsWith(".yaml") ? "" : rel.endsWith("CMakeLists.txt") ? `# ${saltText}\n` : `/* ${saltText} */\n`;
    writeFileSync(join(root, rel), salt + text);
  };
  const syntax = `# syntax=${opts.syntax ?? "local/speck"}\n`;
  write("speck.yaml", cmake ? `${syntax}name: gen\nbuild: cmake\ntarget: ${CMAKE_TARGET}\n` : `${syntax}name: gen\nsources: ["src/**/*.c"]\ninclude: [include]\n`);
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
  const print = cmake ? `  printf("value=%d sum=%lu tag=%s version=%s\\n", SPECK_GEN_VALUE, h, GEN_TAG, GEN_VERSION);` : `  printf("value=%d sum=%lu\\n", SPECK_GEN_VALUE, h);`;
  write(
    "src/main.c",
    [`#include <stdio.h>`, `#include "config.h"`, ...(cmake ? [`#include "gen_config.h"`] : []), ...decls, "", "int main(void) {", "  u64 h = 1469598103934665603ULL;", ...calls, print, "  return 0;", "}", ""].join("\n"),
  );
  if (cmake) {
    write("CMakeLists.txt", cmakeLists(units, CMAKE_DEFAULT_TAG));
    write("include/gen_config.h.in", "#ifndef GEN_CONFIG_H\n#define GEN_CONFIG_H\n#define GEN_TAG \"@GEN_TAG@\"\n#define GEN_VERSION \"@PROJECT_VERSION@\"\n#endif\n");
  }
  units.push("src/main.c");
  configReaders.push("src/main.c");
  return { units, configReaders, byDir, generatedReaders: cmake ? ["src/main.c"] : [] };
}

/**
 * Rewrites the project version in a generated CMakeLists.txt: the
 * "CMakeLists.txt edited" change. Configure runs again, gen_config.h changes,
 * so main.c recompiles and the program prints the new version; no library unit
 * does. (Not GEN_TAG's default: a cache variable keeps its cached value when
 * an existing build tree configures again, so that edit would not show there.)
 */
export function writeCMakeVersion(root: string, version: string): void {
  if (!/^\d+(\.\d+){0,3}$/.test(version)) throw new Error(`version ${JSON.stringify(version)}: up to four dot-separated numbers (CMake's project VERSION)`);
  const file = join(root, "CMakeLists.txt");
  const text = readFileSync(file, "utf8");
  const next = text.replace(/^project\(gen VERSION [0-9.]+ /m, `project(gen VERSION ${version} `);
  if (!/^project\(gen VERSION [0-9.]+ /m.test(text)) throw new Error(`${file}: no project(gen VERSION ...) to rewrite`);
  writeFileSync(file, next);
}

function cmakeLists(units: readonly string[], tag: string): string {
  return [
    "cmake_minimum_required(VERSION 3.20)",
    `project(gen VERSION ${CMAKE_DEFAULT_VERSION} LANGUAGES C)`,
    "",
    "# Configure-time values in the generated header: the version (the bench's CMakeLists.txt",
    "# edit rewrites it) and GEN_TAG, which a build may set with -DGEN_TAG=... (speck: options).",
    `set(GEN_TAG "${tag}" CACHE STRING "printed by the program")`,
    `configure_file(include/gen_config.h.in "\${CMAKE_CURRENT_BINARY_DIR}/generated/gen_config.h" @ONLY)`,
    "",
    "add_library(genunits STATIC",
    ...units.map((u) => `  ${u}`),
    ")",
    "target_include_directories(genunits PUBLIC include src)",
    "",
    "add_executable(gen src/main.c)",
    `target_include_directories(gen PRIVATE "\${CMAKE_CURRENT_BINARY_DIR}/generated")`,
    "target_link_libraries(gen PRIVATE genunits)",
    "",
  ].join("\n");
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
