// What a CMake or Meson project's configure step gets from speck: the
// toolchain file (CMake) or cross file (Meson) written from the target, the
// configure argv, and which context files are its inputs. Pure: the stage
// (project-stage.ts) turns it into LLB.
//
// Both files say the same thing the single compiler run's argv says
// (plan.ts): clang with `--no-default-config --target --sysroot`, lld, the
// profile's flags and the pinned vendor defaults, the user's flags: a
// project's binary is built with exactly the flags `sources:` would use.

import type { Plan, PlannedFlag } from "../../plan/types.js";
import { extensionOf } from "../../speckfile/sources.js";
import { HEADER_EXTENSIONS, SOURCE_EXTENSIONS } from "./sources.js";
import type { BuildSystem, ProjectBuild } from "./spec-part.js";

/** Where the configured tree lives in every op (the configure's output). */
export const BUILD_DIR = "/build";
/** Where speck's toolchain or cross file is mounted for the configure step. */
export const SPECK_DIR = "/speck";
export const TOOLCHAIN_FILE = `${SPECK_DIR}/toolchain.cmake`;
export const CROSS_FILE = `${SPECK_DIR}/cross.ini`;

/**
 * The build platform's packages a project build adds to the C toolchain
 * (Alpine 3.22 names): the build system, samurai (Alpine's ninja: its
 * package ships /usr/bin/samu and /usr/bin/ninja), and llvm for llvm-ar and
 * llvm-ranlib, which index archives of any target architecture (GNU ar's
 * symbol table knows only the build machine's).
 */
export function projectPackages(system: BuildSystem): string[] {
  return [system, "samurai", "llvm"];
}

/**
 * What CMake pastes into a ninja command as shell text must be one plain
 * word: spec-part.ts refuses user flags with anything else, and speck's own
 * flags are checked here so a new profile flag cannot slip through.
 */
const PLAIN = /^[A-Za-z0-9_@%+,./:=-]+$/;

function plain(flags: readonly string[]): string {
  for (const f of flags) if (!PLAIN.test(f)) throw new TypeError(`build-files: flag \`${f}\` is not one plain shell word`);
  return flags.join(" ");
}

/** The flags for one language of the project, split as a build system wants them. */
export interface ProjectFlags {
  /** The driver: `clang` or `clang++`. */
  readonly driver: string;
  /** Target selection (`--no-default-config --target --sysroot`): part of the compiler itself. */
  readonly target: readonly string[];
  /** Every other flag of the single run, compile and link alike (CMake passes C_FLAGS to the link too). */
  readonly flags: readonly string[];
  /** Link-only: the SBOM's link map. */
  readonly link: readonly string[];
  /** `-l` per `libs`. */
  readonly libs: readonly string[];
}

/** The flags of a C or C++ plan, as the project's files carry them. */
export function projectFlags(plan: Plan): ProjectFlags {
  const isTarget = (f: PlannedFlag) => f.from === "compiler" && /^(--no-default-config|--target=|--sysroot=)/.test(f.flag);
  const c = plan.compile;
  return {
    driver: c.argv[0] ?? "clang",
    target: c.flags.filter(isTarget).map((f) => f.flag),
    flags: c.flags.filter((f) => !isTarget(f) && f.from !== "sbom").map((f) => f.flag),
    link: c.flags.filter((f) => f.from === "sbom").map((f) => f.flag),
    libs: c.libs,
  };
}

/** The CPU as each build system spells the target's: the triple's first part. */
function cpuOf(triple: string): { cmake: string; mesonFamily: string; meson: string } {
  const arch = triple.slice(0, triple.indexOf("-"));
  const family = arch === "i586" ? "x86" : /^armv/.test(arch) ? "arm" : arch === "powerpc64le" ? "ppc64" : arch;
  return { cmake: arch, mesonFamily: family, meson: arch };
}

function cmakeQuote(s: string): string {
  return `"${s.replace(/[\\"$;]/g, (c) => `\\${c}`)}"`;
}

/**
 * The CMake toolchain file. CMAKE_<LANG>_FLAGS_<CONFIG> are cached empty so a
 * project that defaults CMAKE_BUILD_TYPE to Release cannot add -O3 after the
 * profile: the profile decides the optimisation, as in every speck build.
 */
export function cmakeToolchainFile(c: ProjectFlags, cxx: ProjectFlags, triple: string, sysroot: string): string {
  const cpu = cpuOf(triple);
  const lines = [
    "# Written by speck from the spec and the target platform: clang cross-compiles, lld links, everything static.",
    "set(CMAKE_SYSTEM_NAME Linux)",
    `set(CMAKE_SYSTEM_PROCESSOR ${cpu.cmake})`,
    `set(CMAKE_C_COMPILER ${c.driver})`,
    `set(CMAKE_CXX_COMPILER ${cxx.driver})`,
    // The target flags first: CMake's compiler checks and every rule (compile and link) see them.
    `set(CMAKE_C_FLAGS_INIT ${cmakeQuote(plain([...c.target, ...c.flags]))})`,
    `set(CMAKE_CXX_FLAGS_INIT ${cmakeQuote(plain([...cxx.target, ...cxx.flags]))})`,
    `set(CMAKE_EXE_LINKER_FLAGS_INIT ${cmakeQuote(plain(c.link))})`,
    `set(CMAKE_C_STANDARD_LIBRARIES ${cmakeQuote(plain(c.libs))} CACHE STRING "speck: libs")`,
    `set(CMAKE_CXX_STANDARD_LIBRARIES ${cmakeQuote(plain(cxx.libs))} CACHE STRING "speck: libs")`,
    ...["C", "CXX"].flatMap((l) => ["DEBUG", "RELEASE", "RELWITHDEBINFO", "MINSIZEREL"].map((cfg) => `set(CMAKE_${l}_FLAGS_${cfg} "" CACHE STRING "speck: the profile decides")`)),
    `set(CMAKE_AR llvm-ar CACHE FILEPATH "speck: indexes archives of any target")`,
    `set(CMAKE_RANLIB llvm-ranlib CACHE FILEPATH "speck: indexes archives of any target")`,
    "set(BUILD_SHARED_LIBS OFF CACHE BOOL \"speck: static\")",
    `set(CMAKE_FIND_ROOT_PATH ${sysroot})`,
    "set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)",
    "set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)",
    "set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)",
    "set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)",
    "set(CMAKE_FIND_LIBRARY_SUFFIXES .a)",
    "",
  ];
  return lines.join("\n");
}

function mesonQuote(s: string): string {
  return `'${s.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}
const mesonList = (xs: readonly string[]) => `[${xs.map(mesonQuote).join(", ")}]`;

/** The Meson cross file: the same compiler and flags, static libraries, the target's CPU. */
export function mesonCrossFile(c: ProjectFlags, cxx: ProjectFlags, triple: string): string {
  const cpu = cpuOf(triple);
  return [
    "# Written by speck from the spec and the target platform: clang cross-compiles, lld links, everything static.",
    "[binaries]",
    `c = ${mesonList([c.driver, ...c.target])}`,
    `cpp = ${mesonList([cxx.driver, ...cxx.target])}`,
    "c_ld = 'lld'",
    "cpp_ld = 'lld'",
    "ar = 'llvm-ar'",
    "",
    "[built-in options]",
    `c_args = ${mesonList(c.flags)}`,
    `c_link_args = ${mesonList([...c.flags, ...c.link, ...c.libs])}`,
    `cpp_args = ${mesonList(cxx.flags)}`,
    `cpp_link_args = ${mesonList([...cxx.flags, ...cxx.link, ...cxx.libs])}`,
    "default_library = 'static'",
    "prefer_static = true",
    "b_staticpic = false",
    "b_pie = false",
    "",
    "[host_machine]",
    "system = 'linux'",
    `cpu_family = ${mesonQuote(cpu.mesonFamily)}`,
    `cpu = ${mesonQuote(cpu.meson)}`,
    `endian = ${mesonQuote(/^(s390x|powerpc64$)/.test(cpu.meson) ? "big" : "little")}`,
    "",
  ].join("\n");
}

/**
 * The configure argv. CMake: `-G Ninja`, no build type (the toolchain file's
 * flags are the whole story). Meson: `buildtype=plain` (no flags of its own).
 * Options are `-D<KEY>=<VALUE>`, one argv element each, never a shell.
 */
export function configureArgv(project: ProjectBuild, srcDir: string): string[] {
  const opts = project.options.map(([k, val]) => `-D${k}=${val}`);
  if (project.system === "cmake") {
    return ["cmake", "-S", srcDir, "-B", BUILD_DIR, "-G", "Ninja", `-DCMAKE_TOOLCHAIN_FILE=${TOOLCHAIN_FILE}`, "-DCMAKE_BUILD_TYPE=", ...opts];
  }
  return ["meson", "setup", "--cross-file", CROSS_FILE, "-Dbuildtype=plain", "-Db_ndebug=false", ...opts, BUILD_DIR, srcDir];
}

/** A build-system file: the configure step reads it for real (its content is the configure's cache key). */
export function isBuildSystemFile(path: string): boolean {
  const base = path.slice(path.lastIndexOf("/") + 1);
  return base === "CMakeLists.txt" || base === "meson.build" || base === "meson.options" || base === "meson_options.txt" || base.endsWith(".cmake") || base.endsWith(".in");
}

/**
 * How the configure step sees each context file. Build-system files and
 * every other file (a VERSION file CMake reads) are the real thing; C/C++
 * sources and headers are empty stand-ins: CMake and Meson check that a
 * listed source exists, never what it holds, so editing one does not
 * configure again. (A project that reads a header's text at configure time,
 * `file(STRINGS version.h ...)`, sees it empty: that is the price, and
 * `speck explain` says so.)
 */
export function configureView(files: readonly string[]): { readonly real: readonly string[]; readonly empty: readonly string[] } {
  const real: string[] = [];
  const empty: string[] = [];
  for (const f of files) {
    const ext = extensionOf(f);
    if (!isBuildSystemFile(f) && (SOURCE_EXTENSIONS.has(ext) || (HEADER_EXTENSIONS as readonly string[]).includes(ext))) empty.push(f);
    else real.push(f);
  }
  return { real, empty };
}
