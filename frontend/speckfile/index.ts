// The spec layer: build file text -> typed, checked Spec.
export type { CompilerName, Define, ImageFile, ImageSpec, Language, ProfileName, Spec } from "./types.js";
export type { ParseOptions } from "./parse.js";
export type { KeyReader, OwnKey, SpecPart } from "./spec-part.js";
export type { SyntaxDirective } from "./text.js";
export { DEFAULT_TOOLCHAIN_IMAGE, DEFAULT_USER, MAX_SPEC_BYTES, spanOf } from "./types.js";
export { parseSpec } from "./parse.js";
export { detectSyntax } from "./text.js";
export { isGlob, globToRegExp } from "./sources.js";
export { SPEC_FIELDS, PROFILE_NAMES, LANGUAGES, COMPILERS } from "./fields.js";
export { specSchema } from "./schema.js";
