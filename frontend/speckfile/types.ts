// The typed spec: what a build file means once it has been read and checked.
//
// Every field has a sentence; the same sentences (from fields.ts) feed the JSON
// Schema that editors use. Values are frozen and already normalised (defaults
// applied, paths cleaned, sizes in bytes), so later stages never re-parse text.

import type { SourceFile, SourceSpan } from "../errors.js";
import type { COMPILERS, LANGUAGES, PROFILE_NAMES } from "./fields.js";

/** The source language; decides the compiler (`cc`, `c++` or `go build`) and the packages. */
export type Language = (typeof LANGUAGES)[number];

/** A named set of compiler and linker flags; see frontend/languages/<name>/profiles.ts for each flag and why. */
export type ProfileName = (typeof PROFILE_NAMES)[number];
/** `clang` cross-compiles every target on the build platform; `gcc` runs on the target (emulated when foreign). */
export type CompilerName = (typeof COMPILERS)[number];

/** One preprocessor definition; `value` absent means `-DNAME` (which the compiler defines as 1). */
export interface Define {
  readonly name: string;
  readonly value?: string;
}

/** An extra file copied from the build context into the image. */
export interface ImageFile {
  /** Path inside the build context (relative, normalised, never escaping it). */
  readonly src: string;
  /** Absolute path inside the image (normalised); defaults to `/` plus `src`. */
  readonly dest: string;
  /** Permission bits (at most 0o7777); defaults to 0o644. */
  readonly mode: number;
}

/** The image block: how the binary runs. Mirrors the OCI image config. */
export interface ImageSpec {
  /** The command the container runs, exec form; defaults to `["/<name>"]`. */
  readonly entrypoint: readonly string[];
  /** Default arguments appended to the entrypoint; empty unless given. */
  readonly cmd: readonly string[];
  /** Environment as `KEY=VALUE` strings, in the order written, later keys overriding earlier ones. */
  readonly env: readonly string[];
  /** Numeric `uid` or `uid:gid`; defaults to `65534:65534` (nobody), never root unless asked. */
  readonly user: string;
  /** Absolute working directory; `/` unless given. */
  readonly workdir: string;
  /** Image labels, sorted by key. */
  readonly labels: Readonly<Record<string, string>>;
  /** Exposed ports as `port/proto` (`8080/tcp`), sorted and de-duplicated. */
  readonly expose: readonly string[];
  /** The signal `docker stop` sends, normalised to `SIGNAME` (or the number if it has no name). */
  readonly stopsignal?: string;
  /** Extra files from the context, in the order written. */
  readonly files: readonly ImageFile[];
}

/** A parsed, checked build file. */
export interface Spec {
  /** Binary and image file name: `[A-Za-z0-9._-]`, at most 64 characters; defaults to the first source's stem. */
  readonly name: string;
  /** `c`, `c++` or `go`; defaults from the sources (any C++ source makes it `c++`; a directory, Go). */
  readonly language: Language;
  /**
   * The language's own keys, as its folder's SpecPart decoded them (speckfile/spec-part.ts);
   * absent for a language with none. Only that folder reads it, narrowing it with its own reader.
   */
  readonly languageKeys?: unknown;
  /** The flag set; `size` unless given. */
  readonly profile: ProfileName;
  /** Source files or glob patterns, relative to the context; expanded by the language (a C build by languages/c/sources.ts). */
  readonly sources: readonly string[];
  /** Extra compiler flags, each one argv element, after the profile's flags. */
  readonly cflags: readonly string[];
  /** Extra linker flags, each one argv element, after the profile's flags. */
  readonly ldflags: readonly string[];
  /** Preprocessor definitions, in the order written. */
  readonly defines: readonly Define[];
  /** Include directories inside the context (normalised, relative). */
  readonly include: readonly string[];
  /** Libraries to link, without `-l` (`z` links `-lz`). */
  readonly libs: readonly string[];
  /** Extra Alpine packages for the compile stage, sorted and de-duplicated. */
  readonly packages: readonly string[];
  /** The compile stage's base image; pinned to a digest later by the frontend. */
  readonly toolchain: { readonly image: string; readonly compiler: CompilerName };
  /** The largest binary size allowed, in bytes; no limit if absent. */
  readonly budget?: number;
  /** How the image runs the binary. */
  readonly image: ImageSpec;
  /** Where each field was written: keys like `sources[0]`, `image.user`, `image.files[1].mode`. */
  readonly spans: ReadonlyMap<string, SourceSpan>;
  /** The build file itself, for errors raised by later stages. */
  readonly file: SourceFile;
}

/** The default toolchain base image: a current Alpine release (pinned to a digest at build time). */
export const DEFAULT_TOOLCHAIN_IMAGE = "alpine:3.22";
/** nobody:nogroup on Alpine; numeric because a scratch image has no /etc/passwd. */
export const DEFAULT_USER = "65534:65534";
/** The largest build file speck reads; a spec is a few hundred bytes, so anything near this is a mistake. */
export const MAX_SPEC_BYTES = 1024 * 1024;

/** The span of a field, or of its closest written parent (`image.user` falls back to `image`). */
export function spanOf(spec: Pick<Spec, "spans">, path: string): SourceSpan | undefined {
  let p = path;
  for (;;) {
    const s = spec.spans.get(p);
    if (s) return s;
    const cut = Math.max(p.lastIndexOf("."), p.lastIndexOf("["));
    if (cut <= 0) return undefined;
    p = p.slice(0, cut);
  }
}
