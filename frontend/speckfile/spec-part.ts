// A language's own keys in the spec (a Go build's `main` and `cgo`): each
// language folder declares them as a SpecPart, and languages/registry.ts
// hands every part to the decoder. speckfile/ knows the shared keys only, so
// it imports no language and names none; the part decodes its keys with the
// same located problems as the shared ones (through KeyReader).

import type { Raw } from "./read.js";
import type { Language } from "./types.js";

/** What a part's decoder may use: located problems, and the shared value readers that report through them. */
export interface KeyReader {
  /** Reports a problem at a field's path (`main`, `sources[0]`); the decoder sorts every problem by position. */
  at(path: string, message: string, hint?: string): void;
  /** A scalar's value through `parse`; a ValueError it throws becomes a problem at the scalar. */
  scalar<T>(raw: Raw | undefined, parse: (text: string) => T): T | undefined;
  /** One of `options`, with a "did you mean" when the text is near one; `fallback` when absent or wrong. */
  enumOf<T extends string, D extends T | undefined>(raw: Raw | undefined, options: readonly T[], what: string, fallback: D): T | D;
}

/** A key only this part's languages take, and what is wrong with it in another language's build. */
export interface OwnKey {
  readonly key: string;
  /** The problem when the build is `title`'s (`C`, `C++`), located at the key. */
  elsewhere(title: string): { readonly message: string; readonly hint: string };
}

export interface SpecPart<K = unknown> {
  /** The `language:` values whose keys these are. */
  readonly languages: readonly Language[];
  /** The language's name in prose: `C`, `C++`, `Go`. */
  title(language: Language): string;
  /** How the problem for a source no language takes names this part's sources: `a C/C++ source`. */
  readonly sourceNoun: string;
  /** What that problem suggests about this part's sources, if anything (the extensions that compile). */
  readonly sourceHint?: string;
  /** Whether a `sources` entry (a context path or a pattern, before the context is listed) is one this part builds. */
  takesSource(path: string): boolean;
  /**
   * Which language a `sources` entry implies: one of `languages`, `null` when
   * it is this part's but fits any of them (an assembly file), undefined when
   * it is not this part's.
   */
  impliedBy(path: string): Language | null | undefined;
  /** Other spellings of its `language:` values, lower case (`cpp` for `c++`), suggested as "did you mean". */
  readonly aliases?: Readonly<Record<string, Language>>;
  /** With `language:` given as one of its languages: the problem when a source implies another of them, located at `language`. */
  checkGiven?(given: Language, sources: readonly string[]): { readonly message: string; readonly hint: string } | undefined;
  /**
   * For a part whose sources are not mixed with another language's (a Go
   * module directory): the problem at its first source `own` when `language:`
   * names another language, or another language's source is listed.
   */
  mixed?(own: string, other: { readonly language: Language } | { readonly source: string; readonly noun: string }): { readonly message: string; readonly hint: string };
  /** For the part that takes a list nothing else claims (C): the language the sources mean. */
  infer?(sources: readonly string[]): Language;
  /** The keys only these languages take: another language's build reports each as out of place. */
  readonly ownKeys: readonly OwnKey[];
  /**
   * The language's keys, decoded from the shape-checked top-level fields; the
   * shared keys it refuses are reported here too. Undefined for a language
   * with no keys of its own (the Spec then has no `languageKeys`).
   */
  decode(keys: KeyReader, fields: ReadonlyMap<string, Raw>): K | undefined;
  /**
   * The binary's name when `name` is absent, for a language that names it
   * itself (Go: after the main package, or the module): `""` while the name
   * waits for `modulePath`, undefined after reporting why there is none.
   * Without it, or when it returns `null`, the binary is named after the first source.
   */
  defaultName?(keys: KeyReader, decoded: K, modulePath: string | undefined): string | null | undefined;
  /** True when the part's keys build the program without `sources` (a C project's own CMakeLists.txt): then a missing `sources` is no problem. */
  withoutSources?(fields: ReadonlyMap<string, Raw>): boolean;
}
