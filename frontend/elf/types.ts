// What speck needs to know about a built binary, read from its ELF headers.

import type { ArmInfo } from "./arm.js";

/** Reads `length` bytes at `offset`; may return fewer at the end of the file. */
export type ReadAt = (offset: number, length: number) => Promise<Uint8Array>;

export interface ElfInfo {
  readonly class: 32 | 64;
  readonly endian: "little" | "big";
  /** e_type: 2 is ET_EXEC (fixed address), 3 is ET_DYN (PIE or shared object). */
  readonly type: number;
  /** e_machine as the ELF spec numbers it. */
  readonly machine: number;
  /** The GOARCH/OCI name of the machine (`amd64`, `arm64`, ...), if speck knows it. */
  readonly architecture?: string;
  /** PT_INTERP: the dynamic loader the kernel would start first. */
  readonly interpreter?: string;
  /** DT_NEEDED: the shared libraries the binary asks for, in order. */
  readonly needed: readonly string[];
  /** Has a PT_DYNAMIC segment (true for dynamic binaries and for static-pie). */
  readonly hasDynamic: boolean;
  /** A static-pie: position independent, self-relocating, with no loader and no libraries. */
  readonly staticPie: boolean;
  /** No interpreter and no needed libraries: runs in an empty scratch image. */
  readonly isStatic: boolean;
  /** A program the kernel can start: ET_EXEC, or ET_DYN with an entry point, with a loadable segment. */
  readonly executable: boolean;
  /** For 32-bit ARM: the float ABI and architecture version (which `linux/arm` variant it is for). */
  readonly arm?: ArmInfo;
}

/** The file is not an ELF binary, or its headers are truncated or inconsistent. */
export class ElfError extends Error {
  override readonly name = "ElfError";
}
