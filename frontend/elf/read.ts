// A small ELF reader over ranged reads (the frontend backs them with the
// gateway's ReadFile), reading only the file header, the program headers, the
// interpreter string and the dynamic section: a few hundred bytes, whatever the
// binary's size. Every count and offset from the file is bounded before use.

import { readArm } from "./arm.js";
import { ElfError, type ElfInfo, type ReadAt } from "./types.js";

const PT_LOAD = 1;
const PT_DYNAMIC = 2;
const PT_INTERP = 3;
const DT_NULL = 0n;
const DT_NEEDED = 1n;
const DT_STRTAB = 5n;
const DT_STRSZ = 10n;
const ET_EXEC = 2;
const ET_DYN = 3;

const MAX_PHNUM = 1024;
const MAX_DYNAMIC_BYTES = 64 * 1024;
const MAX_STRING = 4096;

/** e_machine -> GOARCH (OCI architecture) names. */
function architectureOf(machine: number, cls: 32 | 64, little: boolean): string | undefined {
  switch (machine) {
    case 3: return "386";
    case 40: return "arm";
    case 62: return "amd64";
    case 183: return "arm64";
    case 243: return cls === 64 ? "riscv64" : "riscv32";
    case 21: return little ? "ppc64le" : "ppc64";
    case 22: return cls === 64 ? "s390x" : "s390";
    case 8: return cls === 64 ? (little ? "mips64le" : "mips64") : little ? "mipsle" : "mips";
    case 258: return "loong64";
    default: return undefined;
  }
}

interface Segment {
  readonly type: number;
  readonly offset: number;
  readonly vaddr: number;
  readonly filesz: number;
}

class Fields {
  constructor(
    private readonly b: Uint8Array,
    private readonly little: boolean,
    private readonly cls: 32 | 64,
  ) {}
  private view(): DataView {
    return new DataView(this.b.buffer, this.b.byteOffset, this.b.byteLength);
  }
  u16(o: number): number {
    return this.view().getUint16(o, this.little);
  }
  u32(o: number): number {
    return this.view().getUint32(o, this.little);
  }
  /** A word (32 or 64 bits) as a number; refuses values past 2^53 rather than rounding them. */
  word(o: number): number {
    const v = this.cls === 64 ? this.view().getBigUint64(o, this.little) : BigInt(this.u32(o));
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ElfError(`ELF value 0x${v.toString(16)} is out of range`);
    return Number(v);
  }
  sword(o: number): bigint {
    return this.cls === 64 ? this.view().getBigInt64(o, this.little) : BigInt(this.view().getInt32(o, this.little));
  }
}

async function readExact(read: ReadAt, offset: number, length: number, what: string): Promise<Uint8Array> {
  const b = await read(offset, length);
  if (b.length < length) throw new ElfError(`truncated ELF file: the ${what} at offset ${offset} needs ${length} bytes, got ${b.length}`);
  return b.length === length ? b : b.subarray(0, length);
}

/** Reads what the static check needs. Throws ElfError if it is not a well-formed ELF file. */
export async function readElf(read: ReadAt): Promise<ElfInfo> {
  const ident = await read(0, 64);
  if (ident.length < 16 || ident[0] !== 0x7f || ident[1] !== 0x45 || ident[2] !== 0x4c || ident[3] !== 0x46) {
    throw new ElfError("not an ELF file (no \\x7fELF magic)");
  }
  const cls = ident[4] === 1 ? 32 : ident[4] === 2 ? 64 : undefined;
  const little = ident[5] === 1 ? true : ident[5] === 2 ? false : undefined;
  if (cls === undefined || little === undefined) throw new ElfError(`unknown ELF class ${ident[4]} or data encoding ${ident[5]}`);
  const headerSize = cls === 64 ? 64 : 52;
  if (ident.length < headerSize) throw new ElfError(`truncated ELF header: ${ident.length} of ${headerSize} bytes`);
  const h = new Fields(ident, little, cls);
  const type = h.u16(16);
  const machine = h.u16(18);
  const entry = h.word(24);
  const phoff = h.word(cls === 64 ? 32 : 28);
  const phentsize = h.u16(cls === 64 ? 54 : 42);
  const phnum = h.u16(cls === 64 ? 56 : 44);
  const minEnt = cls === 64 ? 56 : 32;
  if (phnum > MAX_PHNUM) throw new ElfError(`${phnum} program headers is more than a real binary has`);
  if (phnum > 0 && phentsize < minEnt) throw new ElfError(`program header size ${phentsize} is smaller than ${minEnt}`);

  const table = phnum === 0 ? new Uint8Array(0) : await readExact(read, phoff, phnum * phentsize, "program headers");
  const p = new Fields(table, little, cls);
  const segments: Segment[] = [];
  for (let i = 0; i < phnum; i++) {
    const o = i * phentsize;
    segments.push(
      cls === 64
        ? { type: p.u32(o), offset: p.word(o + 8), vaddr: p.word(o + 16), filesz: p.word(o + 32) }
        : { type: p.u32(o), offset: p.word(o + 4), vaddr: p.word(o + 8), filesz: p.word(o + 16) },
    );
  }

  const interpSeg = segments.find((s) => s.type === PT_INTERP);
  const interpreter = interpSeg ? cString(await readExact(read, interpSeg.offset, Math.min(interpSeg.filesz, MAX_STRING), "interpreter path")) : undefined;

  const dynSeg = segments.find((s) => s.type === PT_DYNAMIC);
  const needed = dynSeg ? await readNeeded(read, dynSeg, segments, little, cls) : [];
  const architecture = architectureOf(machine, cls, little);
  const isStatic = interpreter === undefined && needed.length === 0;
  // An object file (-c) or a shared library also has no loader and no
  // libraries; only a loadable image with an entry point can be run.
  const executable = (type === ET_EXEC || (type === ET_DYN && entry !== 0)) && segments.some((s) => s.type === PT_LOAD);
  const arm = architecture === "arm" && cls === 32 ? await readArm(read, ident, little) : undefined;
  return {
    class: cls,
    endian: little ? "little" : "big",
    type,
    machine,
    ...(architecture !== undefined ? { architecture } : {}),
    ...(interpreter !== undefined ? { interpreter } : {}),
    needed,
    hasDynamic: dynSeg !== undefined,
    staticPie: isStatic && type === ET_DYN && dynSeg !== undefined,
    isStatic,
    executable,
    ...(arm !== undefined ? { arm } : {}),
  };
}

async function readNeeded(read: ReadAt, dyn: Segment, segments: readonly Segment[], little: boolean, cls: 32 | 64): Promise<string[]> {
  const entSize = cls === 64 ? 16 : 8;
  const length = Math.min(dyn.filesz, MAX_DYNAMIC_BYTES) - (Math.min(dyn.filesz, MAX_DYNAMIC_BYTES) % entSize);
  const d = new Fields(await readExact(read, dyn.offset, length, "dynamic section"), little, cls);
  const neededOffsets: number[] = [];
  let strtab: number | undefined;
  let strsz: number | undefined;
  for (let o = 0; o < length; o += entSize) {
    const tag = d.sword(o);
    if (tag === DT_NULL) break;
    const val = d.word(o + entSize / 2);
    if (tag === DT_NEEDED) neededOffsets.push(val);
    else if (tag === DT_STRTAB) strtab = val;
    else if (tag === DT_STRSZ) strsz = val;
  }
  if (neededOffsets.length === 0) return [];
  if (strtab === undefined) throw new ElfError("the dynamic section lists needed libraries but has no string table");
  // DT_STRTAB is an address in memory; the PT_LOAD segment that maps it gives its place in the file.
  const addr = strtab;
  const load = segments.find((s) => s.type === PT_LOAD && addr >= s.vaddr && addr < s.vaddr + s.filesz);
  if (!load) throw new ElfError(`the string table's address 0x${addr.toString(16)} is in no loaded segment`);
  const fileOffset = addr - load.vaddr + load.offset;
  const size = Math.min(strsz ?? MAX_DYNAMIC_BYTES, load.vaddr + load.filesz - addr, MAX_DYNAMIC_BYTES);
  const table = await readExact(read, fileOffset, size, "dynamic string table");
  return neededOffsets.map((off) => {
    if (off >= table.length) throw new ElfError(`a needed library's name is outside the string table (offset ${off})`);
    return cString(table.subarray(off, off + MAX_STRING));
  });
}

function cString(b: Uint8Array): string {
  const end = b.indexOf(0);
  return new TextDecoder("utf-8").decode(end < 0 ? b : b.subarray(0, end));
}
