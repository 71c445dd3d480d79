// The SBOM phase (`--sbom`): after the binary is verified, gather what went
// into it, write the SPDX document into a result and hand back the
// attestation BuildKit puts next to the image. A C/C++ build says what it
// linked through its link map; a Go build through the binary's build info.

import { encodeDefinition, marshal, type Platform, type State } from "../../llb/index.js";
import { formatPlatform, type GatewayClient, type InTotoAttestation, type Reference } from "../gateway/index.js";
import type { Plan } from "../plan/index.js";
import { buildSpdxDocument, collectGoSbom, collectSbom, sbomAttestation, serializeSpdx, type SbomInput } from "../sbom/index.js";
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
  /** The link step's map-file mount (C/C++; a Go build has none). */
  readonly linkMap?: State;
}

export async function writeSbom(client: GatewayClient, s: SbomPhaseInput): Promise<InTotoAttestation> {
  const pid = formatPlatform(s.platform);
  // Where the toolchain ran: the build platform (clang, Go), or the target (gcc, cgo).
  const toolPlatform = s.plan.toolchain.platform;
  if (!s.binary.ref) throw new Error("the SBOM needs the binary");
  const binaryRef = s.binary.ref;
  const solve = async (state: State, platform: Platform): Promise<Reference> => {
    const { ref } = await client.solve({ definition: encodeDefinition(marshal(state, { platform })) });
    if (!ref) throw new Error("solving a stage for the SBOM gave an empty result");
    return ref;
  };
  const common = {
    name: s.plan.name,
    platform: pid,
    epochSeconds: s.epoch,
    environment: environmentOf(s.toolchain.state, toolPlatform, s.toolchain.origin),
    toolchainTree: { state: s.toolchain.state, platform: toolPlatform, customName: `[sbom ${pid}] pack the package database's file lists and copyright files` },
    // The build platform's tools, and the target's own root (`apk --root`) with its own database when it has one.
    roots: ["/", ...(s.plan.toolchain.sysroot ? [s.plan.toolchain.sysroot.path] : [])],
    binary: { ref: binaryRef, path: s.plan.name, imagePath: s.plan.image.binary.path, size: s.binary.size, description: s.binary.summary },
    context: s.context.ref,
    imageFiles: s.plan.image.files,
  };
  let input: SbomInput;
  if (s.plan.go) {
    input = await collectGoSbom(client, { ...common, toolchain: await solve(s.toolchain.state, toolPlatform), contextFiles: s.context.files, cgo: s.plan.go.cgo });
  } else {
    const map = s.plan.compile.linkMap;
    if (map === undefined || s.linkMap === undefined) throw new Error("the SBOM of a C/C++ build needs the link map");
    const [toolchain, linkMap] = await Promise.all([solve(s.toolchain.state, toolPlatform), solve(s.linkMap, s.platform)]);
    // The map's path inside its own mount.
    input = await collectSbom(client, { ...common, toolchain, linkMap: { ref: linkMap, path: map.path.slice(map.dir.length + 1) }, sources: s.plan.sources });
  }
  const document = serializeSpdx(buildSpdxDocument(input));
  return sbomAttestation(client, document, s.platform, s.epoch, `[sbom ${pid}]`);
}
