// Source locations for ops: which lines of the build file a step comes from,
// so BuildKit prints them when the step fails (e.g. a compile error points
// at `sources:`).

import type { SourceLocation } from "../../llb/index.js";
import { spanOf, type Spec } from "../speckfile/index.js";

/** The location of a spec field (or its closest written parent); undefined if it was not written. */
export function locationOf(spec: Spec, path: string): SourceLocation | undefined {
  const span = spanOf(spec, path);
  if (!span) return undefined;
  return {
    source: { filename: spec.file.name, data: spec.file.data, language: spec.file.language },
    ranges: [{ start: { line: span.start.line }, end: { line: span.end.line } }],
  };
}
