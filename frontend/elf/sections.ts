// Finds an ELF section by name over ranged reads: the file header, the
// section header table and the section-name string table, nothing else.
// (read.ts reads program headers; a section is the linker's finer naming,
// which `go version -m` uses to find Go's build info.) Counts and sizes from
// the file are bounded before use, as read.ts does.

import { ElfError, type ReadAt } from "./types.js";

const MAX_SHNUM = 4096;
const MAX_NAMES_BYTES = 256 * 1024;

export interface ElfSection {
  readonly name: string;
  readonly offset: number;
  readonly size: number;
  /** sh_type: 8 is SHT_NOBITS (no bytes in the file). */
  readonly type: number;
}

/** The section called `name`, or undefined when the file has no section headers or none of that name. */
export async function findSection(read: ReadAt, name: string): Promise<ElfSection | undefined> {
  const ident = await read(0, 64);
  if (ident.length < 16 || ident[0] !== 0x7f || ident[1] !== 0x45 || ident[2] !== 0x4c || ident[3] !== 0x46) throw new ElfError("not an ELF file (no \\x7fELF magic)");
  const is64 = ident[4] === 2;
  const little = ident[5] === 1;
  if ((ident[4] !== 1 && !is64) || (ident[5] !== 1 && ident[5] !== 2)) throw new ElfError(`unknown ELF class ${ident[4]} or data encoding ${ident[5]}`);
  if (ident.length < (is64 ? 64 : 52)) throw new ElfError("truncated ELF header");
  const h = new DataView(ident.buffer, ident.byteOffset, ident.byteLength);
  const shoff = is64 ? safe(h.getBigUint64(40, little)) : h.getUint32(32, little);
  const shentsize = h.getUint16(is64 ? 58 : 46, little);
  const shnum = h.getUint16(is64 ? 60 : 48, little);
  const shstrndx = h.getUint16(is64 ? 62 : 50, little);
  if (shoff === 0 || shnum === 0) return undefined;
  if (shnum > MAX_SHNUM) throw new ElfError(`${shnum} section headers is more than a real binary has`);
  if (shentsize < (is64 ? 64 : 40)) throw new ElfError(`section header size ${shentsize} is too small`);
  if (shstrndx >= shnum) throw new ElfError(`the section-name table's index ${shstrndx} is past the ${shnum} sections`);

  const table = await read(shoff, shnum * shentsize);
  if (table.length < shnum * shentsize) throw new ElfError("truncated section header table");
  const t = new DataView(table.buffer, table.byteOffset, table.byteLength);
  const header = (i: number) => {
    const o = i * shentsize;
    return is64
      ? { nameAt: t.getUint32(o, little), type: t.getUint32(o + 4, little), offset: safe(t.getBigUint64(o + 24, little)), size: safe(t.getBigUint64(o + 32, little)) }
      : { nameAt: t.getUint32(o, little), type: t.getUint32(o + 4, little), offset: t.getUint32(o + 16, little), size: t.getUint32(o + 20, little) };
  };
  const names = header(shstrndx);
  const strings = await read(names.offset, Math.min(names.size, MAX_NAMES_BYTES));
  const wanted = new TextEncoder().encode(`${name}\0`);
  // Section 0 is SHN_UNDEF, the null section.
  for (let i = 1; i < shnum; i++) {
    const s = header(i);
    if (s.nameAt + wanted.length > strings.length) continue;
    if (wanted.every((b, k) => strings[s.nameAt + k] === b)) return { name, offset: s.offset, size: s.size, type: s.type };
  }
  return undefined;
}

function safe(v: bigint): number {
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ElfError(`ELF value 0x${v.toString(16)} is out of range`);
  return Number(v);
}
