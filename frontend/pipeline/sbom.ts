// The SBOM phase (`--sbom`): after the binary is verified, gather what went
// into it, write the SPDX document into a result and hand back the
// attestation BuildKit puts next to the image. What went in is the
// language's to say (a C/C++ link's map, a Go binary's build info): its
// SbomCollector gets the facts every build shares.

import { encodeDefinition, marshal, type Platform, type State } from "../../llb/index.js";
import { formatPlatform, type GatewayClient, type InTotoAttestation, type Reference } from "../gateway/index.js";
import type { Plan } from "../plan/index.js";
import { buildSpdxDocument, sbomAttestation, serializeSpdx, type BuildFacts, type SbomInput } from "../sbom/index.js";
import { environmentOf } from "../sbom/environment.js";
import type { Context } from "./context.js";
import type { Toolchain } from "./toolchain.js";

/** The facts of every build's SBOM: the binary, the toolchain's package roots, the image files. */
export type SharedSbomFacts = Omit<BuildFacts, "toolchain" | "linkMap" | "sources" | "objectDir">;

/** Solves a stage on a platform for reading (the toolchain tree, a link map). */
export type SolveStage = (state: State, platform: Platform) => Promise<Reference>;

/** A language's part of the SBOM: what its binary was made of. */
export type SbomCollector = (client: GatewayClient, shared: SharedSbomFacts, solve: SolveStage) => Promise<SbomInput>;

export interface SbomPhaseInput {
  readonly plan: Plan;
  readonly platform: Platform;
  readonly epoch: number;
  readonly toolchain: Toolchain;
  readonly context: Context;
  readonly binary: { readonly ref: Reference | undefined; readonly size: number; readonly summary: string };
  /** The language's collector (PreparedBuild.collectSbom). */
  readonly collect: SbomCollector;
}

export async function writeSbom(client: GatewayClient, s: SbomPhaseInput): Promise<InTotoAttestation> {
  const pid = formatPlatform(s.platform);
  // Where the toolchain ran: the build platform (clang, Go), or the target (gcc, cgo).
  const toolPlatform = s.plan.toolchain.platform;
  if (!s.binary.ref) throw new Error("the SBOM needs the binary");
  const binaryRef = s.binary.ref;
  const solve: SolveStage = async (state, platform) => {
    const { ref } = await client.solve({ definition: encodeDefinition(marshal(state, { platform })) });
    if (!ref) throw new Error("solving a stage for the SBOM gave an empty result");
    return ref;
  };
  const shared: SharedSbomFacts = {
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
  const input: SbomInput = await s.collect(client, shared, solve);
  const document = serializeSpdx(buildSpdxDocument(input));
  return sbomAttestation(client, document, s.platform, s.epoch, `[sbom ${pid}]`);
}
