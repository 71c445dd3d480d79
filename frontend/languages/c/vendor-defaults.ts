// The compiler defaults a distribution builds into its compiler, each pinned
// in speck's own argv with the profile's stated choice, so the binary depends
// on the spec, the target and the compiler's version, never on whose build of
// the compiler ran or on which machine.
//
// Alpine's clang (aports main/clang20) differs from upstream in what matters
// here:
//   - patch 30-Enable-stack-protector-by-default-for-Alpine-Linux: for vendor
//     `alpine` triples, -fstack-protector-strong unless the command line says
//     otherwise;
//   - clang-001-fortify-include, clang-002-fortify-enable: -D_FORTIFY_SOURCE=2
//     when optimising, and <sysroot>/usr/include/fortify searched first;
//   - the same patch set appends -lssp_nonshared to a link;
//   - it is built with ENABLE_LINKER_BUILD_ID, so it passes --build-id to
//     the linker (Debian's clang does too; upstream's default does not);
//   - the package installs /etc/clang20/<CHOST>.cfg (-fstack-clash-protection,
//     plus -march on x86 and armhf), which clang reads only when --target is
//     that very triple (CLANG_CONFIG_FILE_SYSTEM_DIR): an amd64 worker's
//     x86_64 build reads it, an arm64 worker's x86_64 build does not.
// Debian's clang, in the test bed's prepared toolchain, has none of the
// patches and no .cfg.
//
// What speck does with each:
//   - `--no-default-config` (clang 16 and later, so Debian's clang 19 takes
//     it too) on every clang run: no .cfg is read, on any host;
//   - the stack protector, fortification, the build ID and stack-clash
//     protection: a flag per profile, below, so the patched and the
//     unpatched default never decide;
//   - -lssp_nonshared is left as it is: it cannot be turned off short of
//     -nodefaultlibs, and it does not depend on the build machine (the patch
//     keys on the target's vendor). The archive is musl-dev's (Alpine's musl
//     builds libssp_nonshared.a, one member, __stack_chk_fail_local, since its
//     gcc is configured --disable-libssp), musl-dev is in every target root
//     (compiler.ts), so the link cannot fail for want of it; and an archive
//     member is linked only when something refers to it, which only 32-bit
//     x86/PowerPC position-independent code under the stack protector does
//     (speck compiles -fno-pie; a prebuilt library in the root might).
//
// gcc (`toolchain.compiler: gcc`) is the target's own compiler running on the
// target's own platform, so a default it carries is the same whichever
// machine builds. Alpine's gcc also turns on the stack protector, _FORTIFY_SOURCE
// when optimising (with fortify-headers) and PIE; the stack protector and
// fortification get the same pinned flags as clang (gcc takes them), PIE is
// already off in every profile (-no-pie, profiles.ts), and stack-clash
// protection and the build ID (but for tiny's none) are left to the target's
// gcc: pinning --build-id=sha1 there added 80 B to pausle with Debian's
// musl-gcc (13,304 -> 13,384 B, against a 13,400 B limit).

import type { CompilerName, ProfileName } from "../../speckfile/types.js";
import type { TargetPlatform } from "../../plan/targets.js";
import type { PlannedFlag } from "../../plan/types.js";

/** First on every clang command line: no configuration file is read. */
export const NO_DEFAULT_CONFIG: PlannedFlag = {
  flag: "--no-default-config",
  why: "read no clang configuration file: Alpine's /etc/clang<N>/<host triple>.cfg applies only when --target is the build machine's own triple, so it would make a binary depend on which machine built it",
  from: "compiler",
};

/**
 * The architectures whose code clang 18 and later can probe for stack clash
 * (the driver ignores the option, with a warning, elsewhere). Not 32-bit Arm
 * nor riscv64: clang 19.1.7 says "argument unused during compilation" for
 * armv7 and riscv64 with either -fstack-clash-protection or its -fno- form
 * (measured in the test bed's toolchain), so neither flag is passed there and
 * clang's own default, off, holds on every host because no .cfg is read.
 */
const STACK_CLASH_ARCHES: ReadonlySet<string> = new Set(["x86_64", "x86", "aarch64", "ppc64le", "s390x"]);

interface Choice {
  readonly protector: "strong" | "off";
  readonly clash: boolean;
  readonly buildId: boolean;
}

/** Each profile's stated choice; the reasons are in the flags' `why`. */
const CHOICES: Readonly<Record<ProfileName, Choice>> = {
  size: { protector: "strong", clash: true, buildId: true },
  speed: { protector: "strong", clash: true, buildId: true },
  debug: { protector: "strong", clash: true, buildId: true },
  tiny: { protector: "off", clash: false, buildId: false },
};

/**
 * The pinned flags for `profile` built by `compiler` for `target`, in argv
 * order. Every profile gets a choice for the stack protector and
 * _FORTIFY_SOURCE; clang also one for the build ID (gcc only tiny's none) and
 * for stack-clash protection where it has it.
 */
export function vendorPins(profile: ProfileName, compiler: CompilerName, target: TargetPlatform): PlannedFlag[] {
  const c = CHOICES[profile];
  const flags: PlannedFlag[] = [
    c.protector === "strong"
      ? { flag: "-fstack-protector-strong", why: "canary checks in functions with arrays or address-taken locals: a stack overflow aborts instead of returning through a smashed frame (stated here: Alpine's compilers turn it on, Debian's clang does not)", from: "profile" }
      : { flag: "-fno-stack-protector", why: "no canary checks: smaller code (stated here: Alpine's compilers turn them on by default)", from: "profile" },
    {
      flag: "-U_FORTIFY_SOURCE",
      why: "no source fortification: on musl it comes only from the fortify-headers package, which no target root holds; Alpine's compilers define _FORTIFY_SOURCE=2 when optimising, and a `packages:` entry that brought those headers would silently change the code (set `defines: [_FORTIFY_SOURCE=2]` and add fortify-headers to opt in)",
      from: "profile",
    },
  ];
  // gcc keeps its own build-ID default (the target's gcc, the same from every machine); tiny drops the note with either.
  if (compiler === "clang" || !c.buildId) flags.push(
    c.buildId
      ? { flag: "-Wl,--build-id=sha1", why: "a build ID that is the SHA-1 of the output, so tools can match the binary to its debug data (stated here: clang asks the linker for one only when built with ENABLE_LINKER_BUILD_ID, as Alpine's and Debian's are, and the kind lld picks by default varies by version)", from: "profile" }
      : { flag: "-Wl,--build-id=none", why: "no .note.gnu.build-id: nothing in a scratch image looks it up", from: "profile" },
  );
  if (compiler === "clang" && STACK_CLASH_ARCHES.has(target.apkArch)) {
    flags.push(
      c.clash
        ? { flag: "-fstack-clash-protection", why: "probe each page of a large stack frame, so no allocation can jump over the guard page (stated here: Alpine's clang gets it from the host's .cfg only, i.e. only when building for its own architecture)", from: "profile" }
        : { flag: "-fno-stack-clash-protection", why: "no stack probes in large frames, clang's own default (stated here: Alpine's clang turns them on when building for its own architecture)", from: "profile" },
    );
  }
  return flags;
}
