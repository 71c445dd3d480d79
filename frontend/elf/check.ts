// The verdicts speck enforces on the binary it built: static (nothing for a
// loader to do in an empty image), for the platform asked for, within budget.

import { UserError, type SourceFile, type SourceSpan } from "../errors.js";
import { groupThousands } from "../format.js";
import { armVariantOf } from "./arm.js";
import type { ElfInfo } from "./types.js";

/** The built binary needs a loader or shared libraries, so it cannot run in a scratch image. */
export class NotStaticError extends UserError {
  constructor(
    readonly binary: string,
    readonly interpreter: string | undefined,
    readonly needed: readonly string[],
    file?: SourceFile,
    span?: SourceSpan,
    hint = "a scratch image has no loader or shared libraries; remove flags that undo -static (-dynamic, -shared, -Wl,-Bdynamic) from cflags/ldflags",
  ) {
    const parts = [
      ...(interpreter !== undefined ? [`interpreter ${interpreter}`] : []),
      ...(needed.length > 0 ? [`needs ${needed.join(", ")}`] : []),
    ];
    super(
      [{
        message: `${binary} is dynamically linked: ${parts.join(", ")}`,
        ...(span ? { span } : {}),
        hint,
      }],
      file,
    );
  }
}

const ELF_TYPES: Readonly<Record<number, string>> = { 1: "an object file (ET_REL)", 2: "an executable", 3: "a shared object (ET_DYN) with no entry point", 4: "a core dump" };

/** Throws a UserError unless the file is a program the kernel can start (not an object file or a library). */
export function checkExecutable(info: ElfInfo, binary: string, where?: { file?: SourceFile; span?: SourceSpan }): void {
  if (info.executable) return;
  throw new UserError(
    [{
      message: `${binary} is not a program: the compiler wrote ${ELF_TYPES[info.type] ?? `an ELF file of type ${info.type}`}`,
      ...(where?.span ? { span: where.span } : {}),
      hint: "remove flags that stop before linking or build a library (-c, -S, -E, -shared, -r) from cflags/ldflags",
    }],
    where?.file,
  );
}

/** Throws NotStaticError unless the binary runs with no loader and no libraries. */
export function checkStatic(info: ElfInfo, binary: string, where?: { file?: SourceFile; span?: SourceSpan; hint?: string }): void {
  if (!info.isStatic) throw new NotStaticError(binary, info.interpreter, info.needed, where?.file, where?.span, where?.hint);
}

/** Throws a UserError if the binary was built for another machine than the image's platform. */
export function checkArchitecture(info: ElfInfo, binary: string, architecture: string, file?: SourceFile, variant?: string): void {
  if (info.architecture !== architecture) {
    throw new UserError(
      `${binary} is built for ${info.architecture ?? `ELF machine ${info.machine}`}, but the image is for ${architecture}`,
      file,
    );
  }
  if (architecture === "arm" && info.arm !== undefined) {
    // Alpine's arm platforms (armv7, and armhf for v6) are EABI5 hard-float; linux/arm alone means v7.
    // A binary that states no float ABI (Go's, without cgo) contradicts nothing.
    const want = variant ?? "v7";
    const arm = info.arm;
    if (arm.eabi !== 5 || arm.softFloat) {
      throw new UserError(`${binary} is built for the ${arm.eabi === 5 ? "soft-float" : `EABI${arm.eabi}`} ARM ABI, but linux/arm/${want} images run hard-float EABI5 binaries`, file);
    }
    const got = arm.cpuArch === undefined ? undefined : armVariantOf(arm.cpuArch);
    if (arm.cpuArch !== undefined && got !== want) {
      throw new UserError(`${binary} is built for ${got !== undefined ? `ARM${got}` : `ARM architecture ${arm.cpuArch}`}, but the image is for linux/arm/${want}`, file);
    }
  }
}

/** One line for progress and labels: `pausle: 3,504 B, static, profile tiny`. */
export function describeBinary(name: string, size: number, info: ElfInfo, profile: string): string {
  return `${name}: ${groupThousands(size)} B, ${info.staticPie ? "static-pie" : "static"}, profile ${profile}`;
}

/** Throws a UserError pointing at `budget` if the binary is larger than it allows. */
export function checkBudget(binary: string, size: number, budget: number | undefined, where?: { file?: SourceFile; span?: SourceSpan }): void {
  if (budget === undefined || size <= budget) return;
  const fmt = (n: number): string => `${groupThousands(n)} B`;
  throw new UserError(
    [{
      message: `${binary} is ${fmt(size)}, over its budget of ${fmt(budget)} by ${fmt(size - budget)}`,
      ...(where?.span ? { span: where.span } : {}),
      hint: "try `profile: tiny`, drop code or libraries, or raise `budget`",
    }],
    where?.file,
  );
}
