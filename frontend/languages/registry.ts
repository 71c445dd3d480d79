// Every language speck builds, in the order `speck init` asks them about a
// folder. Adding a language is a folder beside these and a line here.

import { parseSpec } from "../speckfile/parse.js";
import type { SpecPart } from "../speckfile/spec-part.js";
import type { Language, Spec } from "../speckfile/types.js";
import { goLanguage } from "./go/index.js";
import { goSpecPart } from "./go/spec-part.js";
import { cLanguage } from "./c/index.js";
import { cSpecPart } from "./c/spec-part.js";
import { rustLanguage } from "./rust/index.js";
import { rustSpecPart } from "./rust/spec-part.js";
import type { LanguageSupport } from "./language.js";

export const LANGUAGE_SUPPORT: readonly LanguageSupport[] = [rustLanguage, goLanguage, cLanguage];

/** Each language's own spec keys, for the decoder (speckfile/ imports no language). */
// In the order the problem for a source no language takes lists them (`a C/C++ source or a Go module directory`).
export const SPEC_PARTS: readonly SpecPart[] = [cSpecPart, goSpecPart, rustSpecPart];

/** Parses and checks a build file with every language's keys. Throws UserError (never anything else for bad input). */
export function parseBuildFile(fileName: string, bytes: Uint8Array): Spec {
  return parseSpec(fileName, bytes, { parts: SPEC_PARTS });
}

/**
 * A spec that leaves `language:` out and lists a source several languages
 * build (a directory: a Go module or a Cargo workspace): parsed again as the
 * language whose program the context holds, when exactly one claims it.
 * Any other spec is returned as it is.
 */
export function languageFromContext(spec: Spec, files: readonly string[]): Spec {
  if (!needsContextLanguage(spec)) return spec;
  const claimed = LANGUAGE_SUPPORT.filter((l) => l.claimsContext?.(files) === true);
  const language = claimed.length === 1 ? claimed[0]?.languages[0] : undefined;
  if (language === undefined || language === spec.language) return spec;
  return parseSpec(spec.file.name, spec.file.data, { parts: SPEC_PARTS, language });
}

/** The spec's language waits for the context: `language:` is absent and a source is taken by more than one language. */
export function needsContextLanguage(spec: Spec): boolean {
  return !spec.spans.has("language") && spec.sources.some((s) => SPEC_PARTS.filter((p) => p.takesSource(s)).length > 1);
}

/** The folder that builds `language`. */
export function languageSupport(language: Language): LanguageSupport {
  const found = LANGUAGE_SUPPORT.find((l) => l.languages.includes(language));
  if (found === undefined) throw new TypeError(`no language support registered for \`${language}\``);
  return found;
}

/** The folder that builds `spec`. */
export function supportFor(spec: Pick<Spec, "language">): LanguageSupport {
  return languageSupport(spec.language);
}
