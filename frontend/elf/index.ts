// ELF inspection of the built binary: is it static, for which machine.
export type { ElfInfo, ReadAt } from "./types.js";
export { ElfError } from "./types.js";
export { readElf } from "./read.js";
export { checkExecutable, checkStatic, checkArchitecture, checkBudget, describeBinary, NotStaticError } from "./check.js";
export type { ElfSection } from "./sections.js";
export { findSection } from "./sections.js";
