// The profiles as data: every flag with the reason it is there, so `speck
// explain` and the README print the same sentences the compiler gets.
//
// Measured with clang (the default) in the test bed's cross toolchain (Debian
// trixie: clang and lld 19, musl 1.2.5) for pausle, x86_64, each binary run:
//   size    4,440 B   speed 4,624 B   debug 10,872 B
//   tiny    3,088 B   (before -nostartfiles -l:crt1.o and --no-rosegment: 3,992 B;
//                      with --no-eh-frame-hdr too but crtbegin kept: 3,784 B;
//                      -Wl,-z,max-page-size=4096 changes nothing, on aarch64 either)
// lld pads nothing between segments, hence a third of GNU ld's size. The other
// targets are in the README's platforms table.
//
// Measured before clang, on this repository's dev host (Debian 12, gcc 12.2 via
// musl-gcc, musl 1.2.3, x86_64), each binary run and seen to block in pause():
//   size   13,304 B   (static-pie instead of -no-pie: 13,936 B)
//   tiny    3,504 B   (without -z norelro: 5,184 B; without -z noseparate-code: 9,344 B;
//                      with unwind tables: 3,552 B; without --gc-sections: 3,632 B;
//                      later with -nostartfiles -l:crt1.o: 2,712 B)
//   speed  13,304 B
//   debug  19,432 B   (unstripped, with DWARF)
// Rejected after measuring: -Wl,-N (3,456 B, but an RWX segment and the binary
// segfaults at start), -Wl,-z,max-page-size=4096 (no change on x86_64).
// -fno-stack-protector and -Wl,--build-id=none change nothing on that host
// (Debian's gcc does not enable the protector; the note hides in padding) but
// do on Alpine, whose gcc enables -fstack-protector-strong by default.

import type { CompilerName, Language, ProfileName } from "../../speckfile/types.js";
import type { Flag, Profile } from "../../plan/types.js";

export type { Flag, Profile };

const STATIC: readonly Flag[] = [
  { flag: "-static", why: "link everything into the binary: a scratch image has no libc or loader" },
  { flag: "-no-pie", why: "a fixed load address: no self-relocation code or relocation tables (static-pie costs ~600 B)", compiler: "gcc" },
  { flag: "-fno-pie", why: "code for a fixed load address (clang's musl targets default to PIE code); -static links a non-PIE executable", compiler: "clang" },
];
const STRIP: Flag = { flag: "-s", why: "drop the symbol table and debug sections from the output" };
const SECTIONS: readonly Flag[] = [
  { flag: "-ffunction-sections", why: "put each function in its own section so the linker can drop unused ones" },
  { flag: "-fdata-sections", why: "the same for each global variable" },
  { flag: "-Wl,--gc-sections", why: "let the linker remove sections nothing refers to" },
];
/**
 * A C++ exception unwinds through the frames of the program's C files too (a C
 * function that calls back into C++). Most targets' compilers emit unwind
 * tables for C by default; 32-bit Arm's do not (EHABI), and there such a throw
 * ended in terminate() (examples/mixed on linux/arm/v7). Elsewhere it changes
 * no byte (measured: mixed on x86_64 and aarch64, the same binary).
 */
const CXX_UNWIND: Flag = { flag: "-funwind-tables", why: "unwind tables for every function, C ones included, so a C++ exception can pass through a C frame (32-bit Arm emits none for C otherwise)", only: "c++" };
const RELRO: Flag = { flag: "-Wl,-z,relro,-z,now", why: "resolve at start and make relocated data read-only afterwards (RELRO), a hardening feature" };

/** The C and C++ profiles: flag sets (the names are speckfile/fields.ts's PROFILE_NAMES). */
export const C_PROFILES: Readonly<Record<ProfileName, Profile>> = {
  size: {
    name: "size",
    summary: "small and still hardened (the default)",
    tradeoffs: "Optimises for size over speed and links non-PIE (no ASLR for the binary's own code); keeps RELRO, the stack protector, stack-clash protection (where clang has it) and, for C++, the unwind tables exceptions need.",
    flags: [{ flag: "-Os", why: "optimise for size: -O2 minus the passes that grow code" }, ...STATIC, STRIP, ...SECTIONS, RELRO, CXX_UNWIND],
  },
  tiny: {
    name: "tiny",
    summary: "everything that shrinks the file, safety features included",
    tradeoffs: "On top of `size`: no RELRO (relocated data stays writable), code and data share pages instead of separate page-aligned segments, no stack protector, no build ID, and for C no unwind tables (no backtraces through C frames; C++ keeps them for exceptions).",
    flags: [
      { flag: "-Os", why: "optimise for size" },
      ...STATIC,
      STRIP,
      ...SECTIONS,
      { flag: "-Wl,-z,norelro", why: "no RELRO segment: saves a page of alignment (pausle: 5,184 -> 3,504 B)" },
      { flag: "-Wl,-z,noseparate-code", why: "do not page-align code apart from headers and data (pausle: 9,344 -> 3,504 B)" },
      { flag: "-Wl,--no-rosegment", why: "read-only data shares the code's segment: one program header and its alignment fewer", compiler: "clang" },
      { flag: "-nostartfiles", why: "no crtbegin/crtend from libgcc (musl runs constructors itself; they only register transactional-memory clones)", only: "c" },
      { flag: "-l:crt1.o", why: "musl's own start-up file, the one start file a static C program needs", only: "c" },
      { flag: "-fno-asynchronous-unwind-tables", why: "no .eh_frame in a C program: nothing unwinds through it (a C++ program keeps them, C files included)", only: "c" },
      { flag: "-fno-unwind-tables", why: "the same for the non-asynchronous tables", only: "c" },
      CXX_UNWIND,
      { flag: "-fno-ident", why: "no .comment section naming the compiler version" },
    ],
  },
  speed: {
    name: "speed",
    summary: "-O2, static and stripped",
    tradeoffs: "Larger than `size` where -O2 inlines and unrolls; keeps every hardening feature of `size`.",
    flags: [{ flag: "-O2", why: "optimise for speed without the code growth of -O3" }, ...STATIC, STRIP, RELRO, CXX_UNWIND],
  },
  debug: {
    name: "debug",
    summary: "-O0 -g, static, unstripped",
    tradeoffs: "No optimisation and full DWARF debug information in the binary: several times larger, for debuggers only.",
    flags: [{ flag: "-O0", why: "no optimisation: every variable and line is where the source says" }, { flag: "-g", why: "emit DWARF debug information" }, ...STATIC, CXX_UNWIND],
  },
};

/**
 * The profile's flags for a program of `program`'s language built by
 * `compiler`, in order: every source of it gets these (see source-languages.ts).
 */
export function profileFlags(profile: Profile, program: Language, compiler: CompilerName): Flag[] {
  return profile.flags.filter((f) => (f.only === undefined || f.only === program) && (f.compiler === undefined || f.compiler === compiler));
}
