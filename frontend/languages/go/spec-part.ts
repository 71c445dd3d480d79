// A Go build's own spec keys: `main` (the main package) and `cgo`, and the
// C/C++ keys `go build` does not take. The Spec carries them in
// `languageKeys`; goKeysOf is the one place that narrows it.

import type { Spec } from "../../speckfile/types.js";
import type { KeyReader, SpecPart } from "../../speckfile/spec-part.js";
import { extensionOf, isGlob } from "../../speckfile/sources.js";
import * as v from "../../speckfile/values.js";

/** What only a Go build has. */
export interface GoSpec {
  /** The main package, as `go build` takes it: `.` or `./cmd/server`. */
  readonly main: string;
  /** cgo: CGO_ENABLED=1 and a static external link with the toolchain's C compiler. */
  readonly cgo: boolean;
  /**
   * True when the binary is named after the module path (main `.` and no `name`): go.mod is read
   * from the context, so until the spec is parsed again with the module path, `name` is empty.
   */
  readonly nameFromModule: boolean;
}

/** The shared keys that only a C/C++ compile reads. */
const C_ONLY_KEYS = ["cflags", "ldflags", "defines", "include", "libs"] as const;

/** What a Go build sends: a directory (no extension, not a pattern), `.go` files, go.mod and go.sum. */
function isGoModulePart(path: string): boolean {
  const base = path.slice(path.lastIndexOf("/") + 1);
  return base === "go.mod" || base === "go.sum" || extensionOf(path) === ".go" || (!isGlob(path) && extensionOf(path) === "");
}

export const goSpecPart: SpecPart<GoSpec> = {
  languages: ["go"],
  title: () => "Go",
  sourceNoun: "a Go module directory",
  takesSource: isGoModulePart,
  // A directory is a Go module (its go.mod is checked once the context is listed).
  impliedBy: (path) => (isGoModulePart(path) ? "go" : undefined),
  mixed: (own, other) => ({
    message: `\`${own}\` is a Go module directory, but ${"language" in other ? `language is \`${other.language}\`` : `\`${other.source}\` is ${other.noun}`}`,
    hint: "C and C++ sources are listed by file (`src/*.c`); a Go module is built from its directory: `sources: [.]`",
  }),
  ownKeys: [
    { key: "main", elsewhere: (kind) => ({ message: `\`main\` names a Go package, but this is a ${kind} build`, hint: "remove `main`; the C/C++ entry point is the `main` function in `sources`" }) },
    { key: "cgo", elsewhere: (kind) => ({ message: `\`cgo\` is for Go builds, but this is a ${kind} build`, hint: "remove `cgo`" }) },
  ],
  decode(keys, f) {
    const cgo = keys.enumOf(f.get("cgo"), ["true", "false"] as const, "cgo value", "false") === "true";
    for (const key of C_ONLY_KEYS) {
      const raw = f.get(key);
      if (raw !== undefined) keys.at(raw.path, `\`${key}\` is for C/C++ builds; \`go build\` does not take it`, "remove it; the profile chooses Go's flags");
    }
    const main = keys.scalar(f.get("main"), (t) => {
      if (/^\.\/*$/.test(t)) return ".";
      if (isGlob(t)) throw new v.ValueError(`\`${t}\` is a pattern; \`main\` names one directory`, "e.g. `main: ./cmd/server`");
      return `./${v.contextPath(t, "main")}`;
    }) ?? ".";
    return { main, cgo, nameFromModule: main === "." && f.get("name") === undefined };
  },
  defaultName: goName,
};

/** A Go binary is named after its main directory, or after the module for `.` (as `go build` names it). */
function goName(keys: KeyReader, go: GoSpec, modulePath: string | undefined): string | undefined {
  const from = go.main === "." ? modulePath : go.main;
  if (from === undefined) return "";
  const parts = from.split("/").filter((p) => p !== "" && p !== ".");
  // example.com/tool/v2 builds `tool`: a major-version suffix is not a name.
  const last = parts.length > 1 && /^v[0-9]+$/.test(parts[parts.length - 1] ?? "") ? parts[parts.length - 2] : parts[parts.length - 1];
  try {
    return v.checkName(last ?? "");
  } catch (e) {
    if (!(e instanceof v.ValueError)) throw e;
    keys.at(go.main === "." ? "sources" : "main", `the binary would be named after \`${from}\`, but ${e.message}`, "add `name: <binary name>`");
    return undefined;
  }
}

/** The Go keys of a spec, or undefined when it is not a Go build. */
export function goKeysOf(spec: Pick<Spec, "language" | "languageKeys">): GoSpec | undefined {
  if (!goSpecPart.languages.includes(spec.language)) return undefined;
  const k = spec.languageKeys as Partial<GoSpec> | undefined;
  if (k === undefined || typeof k.main !== "string" || typeof k.cgo !== "boolean" || typeof k.nameFromModule !== "boolean") {
    throw new TypeError("a Go spec without its Go keys: it was not decoded with goSpecPart");
  }
  return k as GoSpec;
}
