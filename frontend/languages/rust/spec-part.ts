// A Rust build's own spec keys: `bin` (the binary target), `features` and
// `default-features`. A Rust build is a Cargo workspace sent whole
// (`sources: [.]`, `language: rust`); the C/C++ keys cargo does not take are
// refused here. rustKeysOf is the one place that narrows `languageKeys`.

import type { Spec } from "../../speckfile/types.js";
import type { KeyReader, SpecPart } from "../../speckfile/spec-part.js";
import type { Raw } from "../../speckfile/read.js";
import { extensionOf, isGlob } from "../../speckfile/sources.js";
import * as v from "../../speckfile/values.js";

export interface RustSpec {
  /** `cargo build --bin`: the binary target, or undefined when the workspace must have exactly one. */
  readonly bin?: string;
  /** `--features`, in the spec's order. */
  readonly features: readonly string[];
  /** false: `--no-default-features`. */
  readonly defaultFeatures: boolean;
}

/** The shared keys that only a C/C++ compile reads. */
const C_ONLY_KEYS = ["cflags", "ldflags", "defines", "include", "libs"] as const;

/** A workspace directory: no extension, not a pattern. */
const isDirectory = (path: string): boolean => !isGlob(path) && extensionOf(path) === "";

/** Cargo's feature names: `serde`, `tokio/rt`, `dep:foo`. */
const FEATURE = /^[A-Za-z0-9_][A-Za-z0-9_+.:/-]*$/;

export const rustSpecPart: SpecPart<RustSpec> = {
  languages: ["rust"],
  title: () => "Rust",
  sourceNoun: "a Cargo workspace directory",
  takesSource: isDirectory,
  // `.` is a Go module too: a Rust build says `language: rust`.
  impliedBy: () => undefined,
  checkGiven(_given, sources) {
    const other = sources.find((s) => !isDirectory(s));
    if (other === undefined && sources.length <= 1) return undefined;
    return {
      message: other !== undefined ? `language is \`rust\` but \`${other}\` is not a directory: cargo builds a workspace, not listed files` : "a Rust build has one workspace directory in `sources`",
      hint: "write `sources: [.]` with Cargo.toml at the top of the context",
    };
  },
  ownKeys: [
    { key: "bin", elsewhere: (kind) => ({ message: `\`bin\` names a Cargo binary target, but this is a ${kind} build`, hint: "remove `bin`; `name` names the binary" }) },
    { key: "features", elsewhere: (kind) => ({ message: `\`features\` are Cargo features, but this is a ${kind} build`, hint: "remove `features`" }) },
    { key: "default-features", elsewhere: (kind) => ({ message: `\`default-features\` is for Cargo packages, but this is a ${kind} build`, hint: "remove `default-features`" }) },
  ],
  decode(keys, f) {
    for (const key of C_ONLY_KEYS) {
      const raw = f.get(key);
      if (raw !== undefined) keys.at(raw.path, `\`${key}\` is for C/C++ builds; cargo does not take it`, "remove it; the profile chooses rustc's settings, and a crate's build script its C flags");
    }
    const bin = keys.scalar(f.get("bin"), (t) => {
      if (!/^[A-Za-z0-9_-]+$/.test(t)) throw new v.ValueError(`\`${t}\` is not a Cargo target name`, "letters, digits, `_` and `-`, as in `[[bin]] name`");
      return t;
    });
    const features = listOf(keys, f.get("features"), (t) => {
      if (!FEATURE.test(t)) throw new v.ValueError(`\`${t}\` is not a Cargo feature name`, "e.g. `derive` or `serde/derive`");
      return t;
    });
    const defaultFeatures = keys.enumOf(f.get("default-features"), ["true", "false"] as const, "default-features value", "true") === "true";
    return { ...(bin !== undefined ? { bin } : {}), features: [...new Set(features)], defaultFeatures };
  },
  defaultName: rustName,
};

function listOf(keys: KeyReader, raw: Raw | undefined, parse: (text: string) => string): string[] {
  if (raw === undefined || raw.kind !== "list") return [];
  return raw.items.flatMap((item) => {
    const value = keys.scalar(item, parse);
    return value === undefined ? [] : [value];
  });
}

/** Named after `bin`; without it, after the workspace's one binary, read from the context (`""` until then). */
function rustName(keys: KeyReader, rust: RustSpec, fromContext: string | undefined): string | undefined {
  const from = rust.bin ?? fromContext;
  if (from === undefined) return "";
  try {
    return v.checkName(from);
  } catch (e) {
    if (!(e instanceof v.ValueError)) throw e;
    keys.at(rust.bin !== undefined ? "bin" : "sources", `the binary would be named after \`${from}\`, but ${e.message}`, "add `name: <binary name>`");
    return undefined;
  }
}

/** The Rust keys of a spec, or undefined when it is not a Rust build. */
export function rustKeysOf(spec: Pick<Spec, "language" | "languageKeys">): RustSpec | undefined {
  if (!rustSpecPart.languages.includes(spec.language)) return undefined;
  const k = spec.languageKeys as Partial<RustSpec> | undefined;
  if (k === undefined || !Array.isArray(k.features) || typeof k.defaultFeatures !== "boolean") {
    throw new TypeError("a Rust spec without its Rust keys: it was not decoded with rustSpecPart");
  }
  return k as RustSpec;
}
