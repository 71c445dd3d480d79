// The SBOM phase (`--sbom`): after the binary is verified, gather what went
// into it, write the SPDX document into a result and hand back the
// attestation BuildKit puts next to the image.

import { encodeDefinition, marshal, type Platform, type State } from "../../llb/index.js";
import { formatPlatform, type GatewayClient, type InTotoAttestation, type Reference } from "../gateway/index.js";
import type { Plan } from "../plan/index.js";
import { buildSpdxDocument, collectSbom, sbomAttestation, serializeSpdx } from "../sbom/index.js";
import { environmentOf } from "../sbom/environment.js";
import type { Context } from "./context.js";
import type { Toolchain } from "./toolchain.js";

export interface SbomPhaseInput {
  readonly plan: Plan;
  readonly platform: Platform;
  readonly epoch: number;
  readonly toolchain: Toolchain;
  readonly context: Context;
  readonly binary: { readonly ref: Reference | undefined; readonly size: number; readonly summary: string };
  /** The link step's map-file mount. */
  readonly linkMap: State;
}

export async function writeSbom(client: GatewayClient, s: SbomPhaseInput): Promise<InTotoAttestation> {
  const pid = formatPlatform(s.platform);
  const map = s.plan.compile.linkMap;
  if (!s.binary.ref || map === undefined) throw new Error("the SBOM needs the binary and the link map");
  const solve = async (state: State): Promise<Reference> => {
    const { ref } = await client.solve({ definition: encodeDefinition(marshal(state, { platform: s.platform })) });
    if (!ref) throw new Error("solving a stage for the SBOM gave an empty result");
    return ref;
  };
  const [toolchain, linkMap] = await Promise.all([solve(s.toolchain.state), solve(s.linkMap)]);
  const input = await collectSbom(client, {
    name: s.plan.name,
    platform: pid,
    epochSeconds: s.epoch,
    environment: environmentOf(s.toolchain.state, s.platform, s.toolchain.origin),
    toolchain,
    toolchainTree: { state: s.toolchain.state, platform: s.platform, customName: `[sbom ${pid}] pack the package database's file lists and copyright files` },
    // The build platform's tools, and the target's own root (`apk --root`) with its own database when it has one.
    roots: ["/", ...(s.plan.toolchain.sysroot ? [s.plan.toolchain.sysroot.path] : [])],
    binary: { ref: s.binary.ref, path: s.plan.name, imagePath: s.plan.image.binary.path, size: s.binary.size, description: s.binary.summary },
    // The map's path inside its own mount.
    linkMap: { ref: linkMap, path: map.path.slice(map.dir.length + 1) },
    context: s.context.ref,
    sources: s.plan.sources,
    imageFiles: s.plan.image.files,
  });
  const document = serializeSpdx(buildSpdxDocument(input));
  return sbomAttestation(client, document, s.platform, s.epoch, `[sbom ${pid}]`);
}
