// Every language speck builds, in the order `speck init` asks them about a
// folder. Adding a language is a folder beside these and a line here.

import type { Language, Spec } from "../speckfile/types.js";
import { goLanguage } from "./go/index.js";
import { cLanguage } from "./c/index.js";
import type { LanguageSupport } from "./language.js";

export const LANGUAGE_SUPPORT: readonly LanguageSupport[] = [goLanguage, cLanguage];

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
