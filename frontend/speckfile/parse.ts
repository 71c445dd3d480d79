// parseSpec: bytes of a build file in, a frozen typed Spec out, or one
// UserError listing every problem with its line and column.

import { LineCounter, parseDocument } from "yaml";
import { UserError, type Problem, type SourceFile } from "../errors.js";
import { Decoder } from "./decode.js";
import { SPEC_FIELDS } from "./fields.js";
import { Reader } from "./read.js";
import type { SpecPart } from "./spec-part.js";
import { decodeSpecText } from "./text.js";
import type { Language, Spec } from "./types.js";

export interface ParseOptions {
  /** Every language's own keys: languages/registry.ts gives them all (speckfile/ names no language). */
  readonly parts: readonly SpecPart[];
  /** What the context names the program after, read by its language (a Go module's path from go.mod), for a spec that waits for it. */
  readonly modulePath?: string;
  /**
   * The language when `language:` is left out, decided from the context by its
   * language (a Cargo.toml at the top of a directory several languages build).
   */
  readonly language?: Language;
}

/** Parses and checks a build file. Throws UserError (never anything else for bad input). */
export function parseSpec(fileName: string, bytes: Uint8Array, options: ParseOptions): Spec {
  const file: SourceFile = { name: fileName, data: bytes, language: "YAML" };
  const text = decodeSpecText(file);
  const lines = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter: lines,
    keepSourceTokens: true,
    prettyErrors: false,
    uniqueKeys: true,
    strict: true,
    schema: "core",
    version: "1.2",
  });
  const r = new Reader(text, lines, doc);
  for (const e of [...doc.errors, ...doc.warnings]) {
    r.problem(yamlMessage(e.code, e.message), r.span(e.pos));
  }
  if (r.problems.length > 0) fail(r.problems, file);
  if (doc.contents === null || (doc.contents as { value?: unknown }).value === null) {
    fail([{ message: "the build file is empty", span: r.span([0, 0]), hint: "a minimal spec is `sources: [main.c]`" }], file);
  }
  const root = r.object(doc.contents as never, SPEC_FIELDS, "", 0);
  const spec = root ? new Decoder(r, options.parts, options.modulePath, options.language).spec(root, file) : undefined;
  if (!spec) fail(r.problems, file);
  return deepFreeze(spec);
}

function fail(problems: readonly Problem[], file: SourceFile): never {
  const sorted = [...problems].sort(
    (a, b) => (a.span?.start.line ?? 0) - (b.span?.start.line ?? 0) || (a.span?.start.column ?? 0) - (b.span?.start.column ?? 0),
  );
  throw new UserError(sorted.length > 0 ? sorted : [{ message: "the build file is not a valid spec" }], file);
}

/** The yaml package's messages, trimmed of its own position suffix (we give ours) and made plainer. */
function yamlMessage(code: string, message: string): string {
  const text = message.replace(/ at line \d+, column \d+:?[\s\S]*$/, "").replace(/\s+/g, " ").trim();
  if (code === "DUPLICATE_KEY") return "a key is written twice in the same map";
  if (code === "MULTIPLE_DOCS") return "a build file holds one YAML document; remove the `---` line and merge the parts";
  if (code === "TAB_AS_INDENT") return "YAML: tabs cannot indent; use spaces";
  return `YAML: ${text}`;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value) && !(value instanceof Map) && !ArrayBuffer.isView(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
