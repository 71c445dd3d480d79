// A generated C project of about a hundred files, for timing compiles that
// are more than one small file: `files` sources, each with a few functions
// of plain integer arithmetic that an optimiser has real work on (loops,
// switches, inlining candidates), a shared header, and a main that calls
// every file so nothing is garbage-collected away. Deterministic: the same
// arguments always write the same bytes.

import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";

export interface GeneratedProject {
  /** Relative paths of the sources written. */
  readonly sources: readonly string[];
  /** What the program prints (one checksum line), to check a built binary. */
  readonly name: string;
}

const FUNCS_PER_FILE = 6;

/**
 * Writes `files` sources under `dir`/src, a header under `dir`/include and a
 * speck.yaml (with `syntax` on its first line and `extra` YAML lines after).
 */
export async function generateCProject(dir: string, opts: { files?: number; syntax: string; extra?: readonly string[] }): Promise<GeneratedProject> {
  const files = opts.files ?? 100;
  await mkdir(join(dir, "src"), { recursive: true });
  await mkdir(join(dir, "include"), { recursive: true });
  const decls: string[] = [];
  const sources: string[] = [];
  for (let f = 0; f < files; f++) {
    const body: string[] = ['#include "gen.h"', ""];
    for (let k = 0; k < FUNCS_PER_FILE; k++) {
      const fn = `gen_${f}_${k}`;
      decls.push(`unsigned gen_${f}_${k}(unsigned x);`);
      body.push(
        `static unsigned mix_${k}(unsigned a, unsigned b) { return (a ^ (b * ${2 * k + 3}u)) + (a >> ${(k % 7) + 1}) - (b << ${(k % 5) + 1}); }`,
        `unsigned ${fn}(unsigned x) {`,
        `  unsigned acc = ${f * 131 + k}u;`,
        `  for (unsigned i = 0; i < 16u + (x & 7u); i++) {`,
        `    switch ((acc + i) % 5u) {`,
        `    case 0: acc = mix_${k}(acc, i + x); break;`,
        `    case 1: acc ^= acc >> ${(f % 11) + 3}; break;`,
        `    case 2: acc += (x * ${f + 7}u) ^ i; break;`,
        `    case 3: acc = acc * 2654435761u + ${k}u; break;`,
        `    default: acc -= mix_${k}(i, acc); break;`,
        `    }`,
        `  }`,
        `  return acc;`,
        `}`,
        "",
      );
    }
    const path = `src/gen${String(f).padStart(3, "0")}.c`;
    sources.push(path);
    await writeFile(join(dir, path), body.join("\n"));
  }
  await writeFile(join(dir, "include/gen.h"), `#ifndef GEN_H\n#define GEN_H\n${decls.join("\n")}\n#endif\n`);
  const calls = [];
  for (let f = 0; f < files; f++) for (let k = 0; k < FUNCS_PER_FILE; k++) calls.push(`  sum = sum * 31u + gen_${f}_${k}(sum + ${f}u);`);
  await writeFile(
    join(dir, "src/main.c"),
    ['#include <stdio.h>', '#include "gen.h"', "int main(void) {", "  unsigned sum = 1u;", ...calls, '  printf("%08x\\n", sum);', "  return 0;", "}", ""].join("\n"),
  );
  sources.push("src/main.c");
  const name = "genproject";
  await writeFile(join(dir, "speck.yaml"), [opts.syntax, `name: ${name}`, 'sources: ["src/*.c"]', "include: [include]", ...(opts.extra ?? []), ""].join("\n"));
  return { sources, name };
}
