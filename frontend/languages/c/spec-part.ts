// C and C++ have no spec keys of their own: the shared keys (cflags, defines,
// include, ...) are theirs already. The part says which `sources` entries
// are C/C++ (by extension, or a pattern that expands to them later), which
// language they imply (any C++ source links the program as C++), and names
// the languages in prose for the problems about another language's keys.

import { extensionOf, isGlob } from "../../speckfile/sources.js";
import { SOURCE_EXTENSIONS } from "./sources.js";
import type { SpecPart } from "../../speckfile/spec-part.js";

export const cSpecPart: SpecPart<never> = {
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
  ownKeys: [],
  decode: () => undefined,
};
