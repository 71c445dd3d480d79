// Verification inside the frontend, with no extra container: the binary's
// ELF headers are read through ranged ReadFile calls (a few hundred bytes),
// then checked: static, for the right machine, within budget.

import { checkArchitecture, checkBudget, checkExecutable, checkStatic, describeBinary, ElfError, readElf, type ElfInfo } from "../elf/index.js";
import type { GatewayClient, Reference } from "../gateway/index.js";
import type { Platform } from "../../llb/index.js";
import type { Plan } from "../plan/index.js";
import { spanOf, type Spec } from "../speckfile/index.js";
import { UserError } from "../errors.js";
import type { StaticCheck } from "../languages/language.js";

const HEAD_BYTES = 4096;

export interface VerifiedBinary {
  readonly size: number;
  readonly elf: ElfInfo;
  /** `pausle: 3,504 B, static, profile tiny` */
  readonly summary: string;
}

/** `staticCheck`: where the language points, and what it suggests, when the binary comes out dynamic. */
export async function verifyBinary(client: GatewayClient, ref: Reference | undefined, spec: Spec, plan: Plan, platform: Platform, staticCheck: StaticCheck): Promise<VerifiedBinary> {
  const path = plan.name;
  // The size and the first page at once: a static binary's ELF and program
  // headers fit in it, so the check usually costs one round trip.
  const [stat, head] = await Promise.all([client.statFile(ref, path), client.readFile(ref, path, { offset: 0, length: HEAD_BYTES })]);
  const size = Number(stat.size);
  const readAt = async (offset: number, length: number): Promise<Uint8Array> => {
    if (offset + length <= head.length || head.length === size) return head.subarray(offset, Math.min(offset + length, head.length));
    return client.readFile(ref, path, { offset, length: Math.max(0, Math.min(length, size - offset)) });
  };
  let elf: ElfInfo;
  try {
    elf = await readElf(readAt);
  } catch (e) {
    if (e instanceof ElfError) throw new UserError(`the compiler wrote ${path}, but it is not an executable: ${e.message}`, spec.file);
    throw e;
  }
  const where = { file: spec.file };
  const flagsSpan = spanOf(spec, "ldflags") ?? spanOf(spec, "cflags");
  checkExecutable(elf, path, flagsSpan ? { ...where, span: flagsSpan } : where);
  checkStatic(elf, path, { ...where, ...staticCheck });
  checkArchitecture(elf, path, platform.architecture, spec.file, platform.variant);
  const budgetSpan = spanOf(spec, "budget");
  checkBudget(path, size, plan.budget, budgetSpan ? { ...where, span: budgetSpan } : where);
  return { size, elf, summary: describeBinary(plan.name, size, elf, plan.profile.name) };
}
