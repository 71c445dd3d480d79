// The OCI image config speck returns with the image: how the binary runs,
// for which platform, and what it is. Built from the plan alone, so two
// builds of the same inputs give the same JSON.

import type { Platform } from "../../llb/index.js";
import type { Plan } from "../plan/index.js";

/** Labels speck adds to every image, so `docker inspect` tells what was built. */
export const SIZE_LABEL = "dev.speck.binary.size";
export const PROFILE_LABEL = "dev.speck.profile";

export interface ImageConfigInputs {
  readonly plan: Plan;
  readonly platform: Platform;
  /** Binary size in bytes, from the verified build. */
  readonly binarySize: number;
  /** `--label` values; they win over the spec's labels, as the Dockerfile frontend's do. */
  readonly extraLabels: ReadonlyMap<string, string>;
  /**
   * SOURCE_DATE_EPOCH, or 0 when the build sets none: `created` is that moment,
   * never the time of the build, so the same inputs give the same image digest
   * whether or not the build passes the epoch (as ko and Bazel's rules_oci do).
   */
  readonly epoch: number;
  /** What produced the single layer, for `docker history`. */
  readonly createdBy: string;
}

export function imageConfig(inputs: ImageConfigInputs): Record<string, unknown> {
  const { plan, platform } = inputs;
  const img = plan.image;
  const labels: Record<string, string> = { ...img.labels, [PROFILE_LABEL]: plan.profile.name, [SIZE_LABEL]: String(inputs.binarySize) };
  for (const [k, v] of inputs.extraLabels) labels[k] = v;
  const created = new Date(inputs.epoch * 1000).toISOString().replace(".000Z", "Z");

  const config: Record<string, unknown> = {
    User: img.user,
    Entrypoint: [...img.entrypoint],
    ...(img.cmd.length > 0 ? { Cmd: [...img.cmd] } : {}),
    ...(img.env.length > 0 ? { Env: [...img.env] } : {}),
    ...(img.workingDir !== "" && img.workingDir !== "/" ? { WorkingDir: img.workingDir } : {}),
    ...(img.exposedPorts.length > 0 ? { ExposedPorts: Object.fromEntries(img.exposedPorts.map((p) => [p, {}])) } : {}),
    ...(img.stopSignal !== undefined ? { StopSignal: img.stopSignal } : {}),
    Labels: sortKeys(labels),
  };
  return {
    created,
    architecture: platform.architecture,
    os: platform.os,
    ...(platform.variant ? { variant: platform.variant } : {}),
    config,
    rootfs: { type: "layers", diff_ids: [] },
    history: [{ created, created_by: inputs.createdBy, comment: "speck" }],
  };
}

function sortKeys(o: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
