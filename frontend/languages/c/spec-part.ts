// C and C++ take the shared keys (cflags, defines, include, ...) as theirs,
// plus `build`, `target` and `options` for a project built by its own
// CMakeLists.txt or meson.build (build-system.ts). The part says which
// `sources` entries are C/C++ (by extension, or a pattern that expands to
// them later), which language they imply (any C++ source links the program
// as C++), and names the languages in prose for the problems about another
// language's keys.

import { extensionOf, isGlob } from "../../speckfile/sources.js";
import type { Raw } from "../../speckfile/read.js";
import type { Spec } from "../../speckfile/types.js";
import * as v from "../../speckfile/values.js";
import { SOURCE_EXTENSIONS } from "./sources.js";
import type { KeyReader, SpecPart } from "../../speckfile/spec-part.js";

export const BUILD_SYSTEMS = ["cmake", "meson"] as const;
export type BuildSystem = (typeof BUILD_SYSTEMS)[number];

/** A project built by its own build files: which system, which executable, which options. */
export interface ProjectBuild {
  readonly system: BuildSystem;
  /** The executable target as the build system names it (`hello`, or Meson's `src/hello`). */
  readonly target: string;
  /** `-D<KEY>=<VALUE>` for the configure step, in the order written. */
  readonly options: readonly (readonly [key: string, value: string])[];
  /**
   * No `build:` was written (a `target:` and no `sources`): the context chooses, a
   * CMakeLists.txt at its top making it CMake, else a meson.build Meson; `system` is
   * CMake's until the frontend has listed the context (project.ts, resolveProject).
   */
  readonly fromContext?: true;
}

export interface CSpec {
  readonly project?: ProjectBuild;
}

const PROJECT_KEYS = ["target", "options"] as const;

/** An option's name: CMake cache variables and Meson options (`subproject:opt`, `c_std`). */
const OPTION_KEY = /^[A-Za-z_][A-Za-z0-9_.:+-]*$/;

/**
 * What a CMake toolchain file may hold as one flag: CMake pastes CMAKE_C_FLAGS
 * into the ninja command as shell text, so a flag with a space or a shell
 * character would be split or interpreted there. Meson's cross file is a list
 * and takes anything, but one rule for both keeps a spec portable between them.
 */
const PLAIN_FLAG = /^[A-Za-z0-9_@%+,./:=-]+$/;

export function systemTitle(system: BuildSystem): string {
  return system === "cmake" ? "CMake" : "Meson";
}

export const cSpecPart: SpecPart<CSpec> = {
  languages: ["c", "c++"],
  title: (language) => (language === "c++" ? "C++" : "C"),
  sourceNoun: "a C/C++ source",
  sourceHint: `sources end in ${[...SOURCE_EXTENSIONS.keys()].join(", ")}; headers are found through \`include\``,
  takesSource(path) {
    const ext = extensionOf(path);
    // A pattern with no extension, or a pattern as its extension, is checked when it is expanded.
    return SOURCE_EXTENSIONS.has(ext) || (isGlob(path) && (ext === "" || isGlob(ext)));
  },
  impliedBy: (path) => SOURCE_EXTENSIONS.get(extensionOf(path)),
  aliases: { cpp: "c++", cxx: "c++", cc: "c++" },
  checkGiven(given, sources) {
    const cxx = sources.find((s) => SOURCE_EXTENSIONS.get(extensionOf(s)) === "c++");
    if (given !== "c" || cxx === undefined) return undefined;
    return { message: `language is \`c\` but \`${cxx}\` is a C++ source`, hint: "write `language: c++` or leave it out" };
  },
  infer: (sources) => (sources.some((s) => SOURCE_EXTENSIONS.get(extensionOf(s)) === "c++") ? "c++" : "c"),
  ownKeys: ["build", ...PROJECT_KEYS].map((key) => ({
    key,
    elsewhere: (kind: string) => ({ message: `\`${key}\` is for C/C++ projects built by CMake or Meson, but this is a ${kind} build`, hint: `remove \`${key}\`` }),
  })),
  withoutSources: (fields) => fields.has("build") || (fields.has("target") && !fields.has("sources")),
  decode: decodeC,
  defaultName(keys, c) {
    if (c?.project === undefined) return null;
    const last = c.project.target.slice(c.project.target.lastIndexOf("/") + 1);
    try {
      return v.checkName(last);
    } catch (e) {
      if (!(e instanceof v.ValueError)) throw e;
      keys.at("target", `the binary would be named after \`${c.project.target}\`, but ${e.message}`, "add `name: <binary name>`");
      return undefined;
    }
  },
};

/** Undefined for a build from `sources` (the Spec then has no `languageKeys`, as before `build` existed). */
function decodeC(keys: KeyReader, f: ReadonlyMap<string, Raw>): CSpec | undefined {
  const buildRaw = f.get("build");
  const system = keys.enumOf(buildRaw, BUILD_SYSTEMS, "build system", undefined);
  const chosenByContext = buildRaw === undefined && f.has("target") && !f.has("sources");
  if (!chosenByContext && (buildRaw === undefined || system === undefined)) {
    if (buildRaw === undefined) {
      for (const key of PROJECT_KEYS) {
        const raw = f.get(key);
        if (raw !== undefined) keys.at(raw.path, `\`${key}\` is for a project built by CMake or Meson`, "add `build: cmake` or `build: meson` (and no `sources`), or remove it");
      }
    }
    return undefined;
  }
  const title = chosenByContext ? "CMake or Meson" : systemTitle(system ?? "cmake");
  const sources = f.get("sources");
  if (sources !== undefined) keys.at(sources.path, `a ${title} build compiles what its ${system === "cmake" ? "CMakeLists.txt" : "meson.build"} lists, so \`sources\` cannot apply`, "remove `sources`, or remove `build` to compile the listed sources");
  const compiler = f.get("toolchain")?.kind === "object" ? (f.get("toolchain") as { fields: ReadonlyMap<string, Raw> }).fields.get("compiler") : undefined;
  if (compiler?.kind === "scalar" && compiler.text === "gcc") {
    keys.at(compiler.path, `a ${title} build is configured for clang (the toolchain file names it and cross-compiles every target), so \`gcc\` cannot apply`, "remove `toolchain.compiler`");
  }
  for (const key of ["cflags", "ldflags", "include"] as const) {
    const raw = f.get(key);
    if (raw?.kind !== "list") continue;
    for (const item of raw.items) {
      if (item.kind === "scalar" && !PLAIN_FLAG.test(item.text)) {
        keys.at(item.path, `\`${v.printable(item.text)}\` has a character ${title}'s configure step would pass to a shell`, "use letters, digits and `_@%+,./:=-` only");
      }
    }
  }
  const defines = f.get("defines");
  if (defines?.kind === "map") {
    for (const [k, s] of defines.entries) if (s !== undefined && !PLAIN_FLAG.test(s.text)) keys.at(`${defines.path}.${k}`, `the value of \`${k}\` has a character ${title}'s configure step would pass to a shell`, "use letters, digits and `_@%+,./:=-` only");
  } else if (defines?.kind === "list") {
    for (const s of defines.items) if (s.kind === "scalar" && !PLAIN_FLAG.test(s.text)) keys.at(s.path, `\`${v.printable(s.text)}\` has a character ${title}'s configure step would pass to a shell`, "use letters, digits and `_@%+,./:=-` only");
  }
  const targetRaw = f.get("target");
  const target = keys.scalar(targetRaw, (t) => {
    if (!/^[A-Za-z0-9_.+-][A-Za-z0-9_.+/-]*$/.test(t) || t.split("/").some((p) => p === ".." || p === "")) {
      throw new v.ValueError(`\`${v.printable(t)}\` is not a target name`, "the name in `add_executable(<name> ...)` or `executable('<name>', ...)`");
    }
    return t;
  });
  if (targetRaw === undefined && buildRaw !== undefined) keys.at(buildRaw.path, `a ${title} build needs \`target\`: the executable to build`, "add `target: <name>`, the name in `add_executable(<name> ...)` or `executable('<name>', ...)`");
  const options: [string, string][] = [];
  const optionsRaw = f.get("options");
  if (optionsRaw?.kind === "map") {
    for (const [k, s] of optionsRaw.entries) {
      const value = s?.text ?? "";
      if (!OPTION_KEY.test(k)) keys.at(`${optionsRaw.path}.${k}`, `\`${v.printable(k)}\` is not an option name`, "letters, digits and `_.:+-`, not starting with a digit");
      else if (/[\0\n\r]/.test(value)) keys.at(`${optionsRaw.path}.${k}`, `the value of \`${k}\` has a NUL or a line break`);
      else options.push([k, value]);
    }
  }
  if (target === undefined) return undefined;
  return { project: { system: system ?? "cmake", target, options, ...(chosenByContext ? { fromContext: true as const } : {}) } };
}

/** The C keys of a spec (empty for a spec of another language). */
export function cKeysOf(spec: Pick<Spec, "language" | "languageKeys">): CSpec {
  if (spec.language !== "c" && spec.language !== "c++") return {};
  return (spec.languageKeys as CSpec | undefined) ?? {};
}
