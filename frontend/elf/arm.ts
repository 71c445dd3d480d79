// What an ARM (32-bit) binary says about its ABI and architecture version:
// the float ABI is in e_flags; the version (ARMv6, ARMv7) only in the
// `.ARM.attributes` section (the ARM ELF ABI's build attributes), found
// through the section headers. Both are a few hundred bytes of ranged reads.

import { ElfError, type ReadAt } from "./types.js";

/** e_flags: the EABI version in the top byte, and the float ABI bits (a linker sets one from its objects' attributes). */
export const EF_ARM_EABIMASK = 0xff000000;
export const EF_ARM_ABI_FLOAT_HARD = 0x400;
export const EF_ARM_ABI_FLOAT_SOFT = 0x200;
const SHT_ARM_ATTRIBUTES = 0x70000003;
const TAG_FILE = 1;
const TAG_CPU_ARCH = 6;
const MAX_SHNUM = 4096;
const MAX_ATTRIBUTES = 4096;

export interface ArmInfo {
  /** EABI version from e_flags (5 for every current toolchain). */
  readonly eabi: number;
  readonly hardFloat: boolean;
  /**
   * Says soft-float outright. Neither bit is Go's linker (cmd/link writes
   * 0x5000002 and leaves the float ABI unstated: a Go binary without cgo
   * passes no floating-point argument to C code).
   */
  readonly softFloat: boolean;
  /** Tag_CPU_arch: 6-9 are ARMv6 flavours, 10 is ARMv7, 14 ARMv8; absent when the binary has no attributes. */
  readonly cpuArch?: number;
}

/** The `linux/arm` variant a Tag_CPU_arch value is built for (`v6`, `v7`, ...), if it is one Linux images use. */
export function armVariantOf(cpuArch: number): string | undefined {
  if (cpuArch >= 6 && cpuArch <= 9) return "v6";
  if (cpuArch === 10) return "v7";
  if (cpuArch === 14) return "v8";
  if (cpuArch >= 3 && cpuArch <= 5) return "v5";
  return undefined;
}

/**
 * Reads e_flags and, through the section headers, Tag_CPU_arch from the
 * "aeabi" subsection of `.ARM.attributes`. `header` is the ELF header (52
 * bytes for a 32-bit file); only 32-bit little- or big-endian files are ARM.
 */
export async function readArm(read: ReadAt, header: Uint8Array, little: boolean): Promise<ArmInfo> {
  const v = new DataView(header.buffer, header.byteOffset, header.byteLength);
  const flags = v.getUint32(36, little);
  const shoff = v.getUint32(32, little);
  const shentsize = v.getUint16(46, little);
  const shnum = v.getUint16(48, little);
  const base = { eabi: (flags & EF_ARM_EABIMASK) >>> 24, hardFloat: (flags & EF_ARM_ABI_FLOAT_HARD) !== 0, softFloat: (flags & EF_ARM_ABI_FLOAT_SOFT) !== 0 };
  if (shoff === 0 || shnum === 0 || shnum > MAX_SHNUM || shentsize < 40) return base;
  const table = await read(shoff, shnum * shentsize);
  if (table.length < shnum * shentsize) throw new ElfError(`truncated ELF file: the section headers at offset ${shoff} need ${shnum * shentsize} bytes`);
  const t = new DataView(table.buffer, table.byteOffset, table.byteLength);
  for (let i = 0; i < shnum; i++) {
    const o = i * shentsize;
    if (t.getUint32(o + 4, little) !== SHT_ARM_ATTRIBUTES) continue;
    const offset = t.getUint32(o + 16, little);
    const size = Math.min(t.getUint32(o + 20, little), MAX_ATTRIBUTES);
    const cpuArch = cpuArchOf(await read(offset, size), little);
    return cpuArch === undefined ? base : { ...base, cpuArch };
  }
  return base;
}

/** Tag_CPU_arch from an attributes section: 'A', then subsections of (length, vendor name, tagged data). */
function cpuArchOf(b: Uint8Array, little: boolean): number | undefined {
  if (b[0] !== 0x41) return undefined; // format version 'A'
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let sub = 1;
  while (sub + 4 <= b.length) {
    const len = v.getUint32(sub, little);
    if (len < 5 || sub + len > b.length) return undefined;
    const nameEnd = b.indexOf(0, sub + 4);
    const vendor = new TextDecoder().decode(b.subarray(sub + 4, nameEnd));
    if (vendor === "aeabi" && nameEnd > 0) return fileTag(b.subarray(nameEnd + 1, sub + len), little);
    sub += len;
  }
  return undefined;
}

/**
 * Walks the Tag_File attributes. A value is a ULEB128, a string for tags 4,
 * 5, 65 and 67, both for 32 (Tag_compatibility), and past 32 a string for odd
 * tags (the ABI's rule for tags a reader does not know).
 */
function fileTag(b: Uint8Array, little: boolean): number | undefined {
  if (b[0] !== TAG_FILE || b.length < 5) return undefined;
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const end = Math.min(v.getUint32(1, little), b.length);
  let i = 5;
  const uleb = (): number => {
    let n = 0;
    let shift = 0;
    while (i < end) {
      const byte = b[i++] ?? 0;
      n += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return n;
      shift += 7;
    }
    return n;
  };
  while (i < end) {
    const tag = uleb();
    if (tag === TAG_CPU_ARCH) return uleb();
    if (tag === 32) uleb();
    if (tag === 4 || tag === 5 || tag === 32 || (tag > 32 && tag % 2 === 1)) {
      const z = b.indexOf(0, i);
      if (z < 0 || z >= end) return undefined;
      i = z + 1;
    } else uleb();
  }
  return undefined;
}
