// `--target`: what the build returns. speck has one image per build file,
// plus a debug target that shows the generated LLB instead of running it.

import { UserError } from "../errors.js";

export const IMAGE_TARGET = "image";
/** `--target=debug-llb --output type=local,dest=out` writes out/llb.json and out/plan.txt. */
export const DEBUG_TARGET = "debug-llb";

/** What `--target` names: a result of the build (the platforms are plan/targets.ts's TargetPlatform). */
export type BuildTarget = typeof IMAGE_TARGET | typeof DEBUG_TARGET;

export const TARGETS: readonly { readonly name: BuildTarget; readonly description: string; readonly default?: true }[] = [
  { name: IMAGE_TARGET, description: "the scratch image with the static binary", default: true },
  { name: DEBUG_TARGET, description: "the generated LLB (llb.json) and the plan in words (plan.txt), for --output type=local" },
];

export function parseTarget(value: string | undefined): BuildTarget {
  if (value === undefined || value === "" || value === IMAGE_TARGET) return IMAGE_TARGET;
  if (value === DEBUG_TARGET) return DEBUG_TARGET;
  throw new UserError(`unknown target "${value}": speck builds ${TARGETS.map((t) => `"${t.name}"`).join(" or ")}`);
}
