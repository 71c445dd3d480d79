import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { UserError } from "../errors.js";
import { checkArchitecture, checkExecutable, checkStatic, describeBinary, NotStaticError } from "./check.js";
import { readElf } from "./read.js";
import { ElfError, type ReadAt } from "./types.js";

const over = (bytes: Uint8Array): ReadAt => async (offset, length) => bytes.slice(offset, offset + length);

const has = (tool: string): boolean => {
  try {
    execFileSync(tool, ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
};
const dir = mkdtempSync(join(tmpdir(), "speck-elf-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, "p.c"), "#include <unistd.h>\nint main(void){return pause();}\n");

/** Builds p.c with the given compiler and flags in the temp dir and returns the bytes. */
function build(cc: string, flags: string[], out: string): Uint8Array {
  execFileSync(cc, [...flags, "-o", join(dir, out), join(dir, "p.c")], { stdio: ["ignore", "ignore", "pipe"] });
  return new Uint8Array(readFileSync(join(dir, out)));
}

describe.skipIf(!has("gcc") || !has("musl-gcc") || process.arch !== "x64")("readElf on binaries built on this host", () => {
  it("gcc, dynamic: names glibc's loader and libc.so.6", async () => {
    const info = await readElf(over(build("gcc", [], "dyn")));
    expect(info).toMatchObject({ class: 64, endian: "little", architecture: "amd64", interpreter: "/lib64/ld-linux-x86-64.so.2", isStatic: false, staticPie: false });
    expect(info.needed).toContain("libc.so.6");
    expect(() => checkStatic(info, "p")).toThrow("p is dynamically linked: interpreter /lib64/ld-linux-x86-64.so.2, needs libc.so.6");
  });

  it("musl-gcc, dynamic: the message names musl's loader", async () => {
    const info = await readElf(over(build("musl-gcc", [], "mdyn")));
    expect(info.interpreter).toMatch(/^\/lib\/ld-musl-x86_64\.so\.1$/);
    let err: unknown;
    try {
      checkStatic(info, "pausle");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NotStaticError);
    expect(err).toBeInstanceOf(UserError);
    expect((err as NotStaticError).interpreter).toBe(info.interpreter);
    expect((err as Error).message).toMatch(/^pausle is dynamically linked: interpreter \/lib\/ld-musl-x86_64\.so\.1, needs libc\.so/);
  });

  it("gcc -static and musl-gcc -static: static, fixed address, no dynamic section", async () => {
    for (const [cc, out] of [["gcc", "gstatic"], ["musl-gcc", "mstatic"]] as const) {
      const info = await readElf(over(build(cc, ["-static", "-no-pie"], out)));
      expect(info, cc).toMatchObject({ type: 2, isStatic: true, staticPie: false, hasDynamic: false, needed: [] });
      expect(info.interpreter).toBeUndefined();
      expect(() => checkStatic(info, out)).not.toThrow();
      expect(describeBinary("pausle", 13304, info, "size")).toBe("pausle: 13,304 B, static, profile size");
    }
  });

  it("gcc -static-pie: static-pie, a dynamic section but no loader and no libraries", async () => {
    const info = await readElf(over(build("gcc", ["-static-pie"], "spie")));
    expect(info).toMatchObject({ type: 3, hasDynamic: true, staticPie: true, isStatic: true, needed: [] });
    expect(() => checkStatic(info, "p")).not.toThrow();
  });

  it("an executable passes checkExecutable; an object file and a library do not", async () => {
    const exe = await readElf(over(build("musl-gcc", ["-static"], "exe")));
    expect(exe.executable).toBe(true);
    expect(() => checkExecutable(exe, "p")).not.toThrow();
    const object = await readElf(over(build("musl-gcc", ["-c"], "obj")));
    expect(object).toMatchObject({ type: 1, isStatic: true, executable: false });
    expect(() => checkExecutable(object, "p")).toThrow("p is not a program: the compiler wrote an object file (ET_REL)");
    const library = await readElf(over(build("gcc", ["-shared", "-nostdlib", "-fPIC"], "lib")));
    expect(library).toMatchObject({ type: 3, isStatic: true, executable: false });
    expect(() => checkExecutable(library, "p")).toThrow("p is not a program: the compiler wrote a shared object (ET_DYN) with no entry point");
  });

  it("checks the architecture against the image's platform", async () => {
    const info = await readElf(over(build("musl-gcc", ["-static"], "arch")));
    expect(() => checkArchitecture(info, "p", "amd64")).not.toThrow();
    expect(() => checkArchitecture(info, "p", "arm64")).toThrow("p is built for amd64, but the image is for arm64");
  });
});

/**
 * A hand-made ELF32 big-endian MIPS executable: header, three program headers
 * (PT_INTERP, PT_LOAD, PT_DYNAMIC), the interpreter string, a dynamic section
 * and its string table, which is found through the PT_LOAD mapping.
 */
function elf32be(): Uint8Array {
  const b = new Uint8Array(512);
  const v = new DataView(b.buffer);
  b.set([0x7f, 0x45, 0x4c, 0x46, 1, 2, 1]);
  v.setUint16(16, 2); // ET_EXEC
  v.setUint16(18, 8); // EM_MIPS
  v.setUint32(28, 52); // e_phoff
  v.setUint16(42, 32); // e_phentsize
  v.setUint16(44, 3); // e_phnum
  const ph = (i: number, type: number, offset: number, vaddr: number, size: number): void => {
    const o = 52 + i * 32;
    v.setUint32(o, type);
    v.setUint32(o + 4, offset);
    v.setUint32(o + 8, vaddr);
    v.setUint32(o + 16, size);
    v.setUint32(o + 20, size);
  };
  const interp = "/lib/ld.so.1\0";
  b.set(new TextEncoder().encode(interp), 200);
  ph(0, 3, 200, 0x400000 + 200, interp.length);
  ph(1, 1, 0, 0x400000, 512); // the whole file mapped at 0x400000
  const strtab = "\0libc.so.0\0libm.so\0";
  b.set(new TextEncoder().encode(strtab), 400);
  const dyn = [[1, 1], [1, 11], [5, 0x400000 + 400], [10, strtab.length], [0, 0]];
  dyn.forEach(([tag, val], i) => {
    v.setInt32(300 + i * 8, tag ?? 0);
    v.setUint32(300 + i * 8 + 4, val ?? 0);
  });
  ph(2, 2, 300, 0x400000 + 300, dyn.length * 8);
  return b;
}

describe("readElf on hand-made headers", () => {
  it("reads a 32-bit big-endian file: interpreter and needed libraries through the string table", async () => {
    const info = await readElf(over(elf32be()));
    expect(info).toEqual({
      class: 32, endian: "big", type: 2, machine: 8, architecture: "mips", interpreter: "/lib/ld.so.1",
      needed: ["libc.so.0", "libm.so"], hasDynamic: true, executable: true, staticPie: false, isStatic: false,
    });
    expect(() => checkStatic(info, "x")).toThrow("x is dynamically linked: interpreter /lib/ld.so.1, needs libc.so.0, libm.so");
  });

  it("rejects what is not ELF, or is cut short, with ElfError", async () => {
    await expect(readElf(over(new TextEncoder().encode("#!/bin/sh\n")))).rejects.toThrow(ElfError);
    await expect(readElf(over(elf32be().slice(0, 100)))).rejects.toThrow(/truncated ELF file: the program headers/);
  });

  it("never throws anything but ElfError on mutated headers", async () => {
    const base = elf32be();
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(511), fc.integer({ min: 0, max: 255 })), { maxLength: 12 }), async (edits) => {
        const b = base.slice();
        for (const [at, byte] of edits) b[at] = byte;
        try {
          await readElf(over(b));
        } catch (e) {
          expect(e).toBeInstanceOf(ElfError);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe("checkBudget", () => {
  it("passes at the limit and fails one byte over, saying by how much", async () => {
    const { checkBudget } = await import("./check.js");
    expect(() => checkBudget("pausle", 3600, 3600)).not.toThrow();
    expect(() => checkBudget("pausle", 3601, undefined)).not.toThrow();
    expect(() => checkBudget("pausle", 13_401, 13_400)).toThrow("pausle is 13,401 B, over its budget of 13,400 B by 1 B");
  });
});

describe.skipIf(!has("clang") || !has("ld.lld"))("32-bit ARM: float ABI and architecture version from the binary's own headers", () => {
  writeFileSync(join(dir, "f.c"), "int f(void) { return 1; }\n");
  // Linked with no C library (the float ABI bit is the linker's to set), entry point f.
  const object = (target: string, out: string): Uint8Array => {
    execFileSync("clang", [`--target=${target}`, "-nostdlib", "-static", "-fuse-ld=lld", "-Wl,-e,f", "-o", join(dir, out), join(dir, "f.c")], { stdio: ["ignore", "ignore", "pipe"] });
    return new Uint8Array(readFileSync(join(dir, out)));
  };

  it("reads hard-float EABI5 and Tag_CPU_arch, and checks them against the arm variant", async () => {
    const v7 = await readElf(over(object("armv7-alpine-linux-musleabihf", "v7.o")));
    expect(v7.arm).toEqual({ eabi: 5, hardFloat: true, softFloat: false, cpuArch: 10 });
    expect(() => checkArchitecture(v7, "p", "arm", undefined, "v7")).not.toThrow();
    expect(() => checkArchitecture(v7, "p", "arm")).not.toThrow(); // linux/arm is v7
    expect(() => checkArchitecture(v7, "p", "arm", undefined, "v6")).toThrow("p is built for ARMv7, but the image is for linux/arm/v6");
    const v6 = await readElf(over(object("armv6-alpine-linux-musleabihf", "v6.o")));
    expect(v6.arm?.hardFloat).toBe(true);
    expect(() => checkArchitecture(v6, "p", "arm", undefined, "v6")).not.toThrow();
    expect(() => checkArchitecture(v6, "p", "arm", undefined, "v7")).toThrow("p is built for ARMv6, but the image is for linux/arm/v7");
    const soft = await readElf(over(object("armv7-linux-gnueabi", "soft.o")));
    expect(soft.arm).toMatchObject({ hardFloat: false, softFloat: true });
    expect(() => checkArchitecture(soft, "p", "arm", undefined, "v7")).toThrow("p is built for the soft-float ARM ABI, but linux/arm/v7 images run hard-float EABI5 binaries");
    // Go's linker states no float ABI (e_flags 0x5000002, no attributes): nothing to contradict. The
    // same file saying soft-float, or another EABI, is refused.
    const withFlags = (flags: number): Uint8Array => {
      const bytes = object("armv7-alpine-linux-musleabihf", "go-like.o");
      new DataView(bytes.buffer, bytes.byteOffset).setUint32(36, flags, true);
      return bytes;
    };
    const unstated = await readElf(over(withFlags(0x5000002)));
    expect(unstated.arm).toMatchObject({ eabi: 5, hardFloat: false, softFloat: false });
    expect(() => checkArchitecture(unstated, "p", "arm", undefined, "v7")).not.toThrow();
    const saysSoft = await readElf(over(withFlags(0x5000202)));
    expect(() => checkArchitecture(saysSoft, "p", "arm", undefined, "v7")).toThrow("soft-float ARM ABI");
    const eabi4 = await readElf(over(withFlags(0x4000002)));
    expect(() => checkArchitecture(eabi4, "p", "arm", undefined, "v7")).toThrow("EABI4 ARM ABI");
  });
});
