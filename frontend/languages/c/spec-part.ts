// C and C++ have no spec keys of their own: the shared keys (cflags, defines,
// include, ...) are theirs already. The part gives the decoder their names
// in prose, for the problems about another language's keys in their build.

import type { SpecPart } from "../../speckfile/spec-part.js";

export const cSpecPart: SpecPart<never> = {
  languages: ["c", "c++"],
  title: (language) => (language === "c++" ? "C++" : "C"),
  ownKeys: [],
  decode: () => undefined,
};
