// C/C++ sources: which extensions compile, what language each implies, and
// the expansion of `sources` patterns against the build context's file list.
// Pure: the frontend supplies the list (e.g. from ReadDir on the context).

import { UserError, type Problem, type SourceFile, type SourceSpan } from "../../errors.js";
import { extensionOf, globToRegExp, isGlob } from "../../speckfile/sources.js";
import type { Language } from "../../speckfile/types.js";

/** Extensions the compiler driver accepts as sources, and the language each implies (null: either). */
export const SOURCE_EXTENSIONS: ReadonlyMap<string, Language | null> = new Map([
  [".c", "c"],
  [".cc", "c++"], [".cpp", "c++"], [".cxx", "c++"], [".C", "c++"], [".c++", "c++"],
  [".s", null], [".S", null],
]);

/** Header extensions sent along with the sources of a directory (for `#include "x.h"` next to them). */
export const HEADER_EXTENSIONS = [".h", ".hh", ".hpp", ".hxx", ".inc"] as const;

/** Where each pattern was written, for errors; both optional so tests can call this bare. */
export interface ExpandContext {
  readonly file?: SourceFile;
  readonly spans?: readonly (SourceSpan | undefined)[];
}

/**
 * Expands source patterns against the context's files (relative paths with `/`).
 * Keeps the order written, sorts each glob's matches, drops repeats, and only
 * lets a glob pick files with a source extension. A literal path that is not in
 * the context, or a glob that matches no source, is a UserError.
 */
export function expandSources(patterns: readonly string[], files: readonly string[], ctx: ExpandContext = {}): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const problems: Problem[] = [];
  const present = new Set(files);
  patterns.forEach((pattern, i) => {
    const span = ctx.spans?.[i];
    const where = span ? { span } : {};
    if (!isGlob(pattern)) {
      if (!present.has(pattern)) problems.push({ message: `source \`${pattern}\` is not in the build context`, ...where, hint: "check the path; it is relative to the build context, the directory given to `docker buildx build`" });
      else if (!seen.has(pattern)) {
        seen.add(pattern);
        out.push(pattern);
      }
      return;
    }
    const re = globToRegExp(pattern);
    const matched = files.filter((f) => re.test(f)).sort();
    const sources = matched.filter((f) => SOURCE_EXTENSIONS.has(extensionOf(f)));
    if (sources.length === 0) {
      problems.push({
        message: matched.length === 0 ? `\`${pattern}\` matches no file in the build context` : `\`${pattern}\` matches no C/C++ source (only ${matched.length} other file${matched.length === 1 ? "" : "s"})`,
        ...where,
        hint: matched.length === 0
          ? "patterns are relative to the build context; `*` stays in one directory, `**` crosses directories"
          : `sources end in ${[...SOURCE_EXTENSIONS.keys()].join(", ")}`,
      });
    }
    for (const f of sources) {
      if (!seen.has(f)) {
        seen.add(f);
        out.push(f);
      }
    }
  });
  if (problems.length > 0) throw new UserError(problems, ctx.file);
  return out;
}
