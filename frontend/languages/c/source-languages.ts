// Which language each source is compiled as, and which flags it gets: the one
// place that decides it, for the single driver run of today and for a compile
// split per translation unit.
//
// A program's language (`c` or `c++`) picks the driver that links it (`c++`
// links libstdc++) and the profile's language-specific flags; each source is
// still compiled as the language its extension says. g++ and clang++ compile
// a `.c` file as C++ (mangled names, C++ rules), so a C++ program's C sources
// are named as C with the driver's `-x c` ... `-x none` switches, which runs
// the C compiler proper on them.
//
// The profile's flags follow the program, not the source (profileFlags takes
// the program's language): `tiny` drops unwind tables only when the whole
// program is C, because a C++ exception unwinds through C frames too (a C
// function calling back into C++ that throws), and a frame without tables ends
// in terminate(). A per-unit compile must keep that: a C unit of a C++ program
// gets the C++ program's profile flags, and is compiled by the C++ driver with
// `-x c` (in the test double, the C and C++ drivers link different C libraries).

import { extensionOf } from "../../speckfile/sources.js";
import { SOURCE_EXTENSIONS } from "./sources.js";
import type { Language } from "../../speckfile/types.js";

/** What a source is compiled as: its extension decides (`.s`/`.S` go to the assembler, by extension). */
export type SourceLanguage = Language | "assembler";

export function sourceLanguage(source: string): SourceLanguage {
  const lang = SOURCE_EXTENSIONS.get(extensionOf(source));
  if (lang === undefined) throw new TypeError(`sourceLanguage(): \`${source}\` has no source extension (the spec reader rejects those)`);
  return lang ?? "assembler";
}

/**
 * The `-x` language the program's driver (compiler.ts) must be told before `source`,
 * or undefined when the driver's reading of the extension is already right
 * (everything but a `.c` file under `c++`).
 */
export function languageSwitch(source: string, program: Language): "c" | undefined {
  return program === "c++" && sourceLanguage(source) === "c" ? "c" : undefined;
}

/**
 * The sources as the driver's inputs, in order: each run of C sources of a
 * C++ program between `-x c` and `-x none`, so later sources (and, with
 * `more`, the inputs after these) are read by their extension again; a
 * closing `-x none` with nothing after it only draws a warning from clang.
 * A C program's list comes back as is.
 */
export function sourceInputs(sources: readonly string[], program: Language, more = false): string[] {
  const out: string[] = [];
  let fenced = false;
  for (const source of sources) {
    const asC = languageSwitch(source, program) === "c";
    if (asC !== fenced) out.push("-x", asC ? "c" : "none");
    fenced = asC;
    out.push(source);
  }
  if (fenced && more) out.push("-x", "none");
  return out;
}
