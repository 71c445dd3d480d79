// What every language's plan shares: where the context and the output are
// mounted, the plan's assembly around what a language decided, and the image
// plan. Each language plans its own toolchain and compile
// (frontend/languages/<name>/plan.ts) and hands the parts to assemblePlan.

import type { Spec } from "../speckfile/types.js";
import type { ImageConfigPlan, Plan } from "./types.js";

export const SRC_DIR = "/src";
export const OUT_DIR = "/out";
/** The link step's second output, only with an SBOM: the linker's map file. */
export const META_DIR = "/meta";
export const LINK_MAP = `${META_DIR}/link.map`;

/** What a language decided, for assemblePlan. */
export type PlanParts = Pick<Plan, "platform" | "profile" | "toolchain" | "sources" | "compile"> & { readonly compilePatterns: readonly string[] };

/**
 * A plan's fields that every language fills the same way from the spec (name,
 * image, budget, context patterns), around what its own planner decided;
 * `own` is the language's part of the plan (a Go build's `go`), kept as is.
 */
export function assemblePlan<Own extends object = object>(spec: Spec, parts: PlanParts, own?: Own): Plan & Own {
  const { compilePatterns: compile, ...decided } = parts;
  return deepFreeze({
    name: spec.name,
    language: spec.language,
    ...decided,
    ...(own as Own),
    platform: { ...parts.platform },
    context: { compile, image: [...new Set(spec.image.files.map((f) => f.src))].sort() },
    image: imagePlan(spec),
    ...(spec.budget !== undefined ? { budget: spec.budget } : {}),
  });
}

/** The image config and the binary's place in the image, from the spec's image block. */
function imagePlan(spec: Spec): ImageConfigPlan {
  const img = spec.image;
  return {
    entrypoint: img.entrypoint,
    cmd: img.cmd,
    env: img.env,
    user: img.user,
    workingDir: img.workdir,
    labels: img.labels,
    exposedPorts: img.expose,
    ...(img.stopsignal !== undefined ? { stopSignal: img.stopsignal } : {}),
    binary: { path: `/${spec.name}`, mode: 0o755 },
    files: img.files.map((f) => ({ ...f })),
  };
}

/** Every context pattern a build reads: the language's compile inputs and the image's files. */
export function withImageFiles(spec: Spec, compilePatterns: readonly string[]): string[] {
  return [...new Set([...compilePatterns, ...spec.image.files.map((f) => f.src)])].sort();
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
