// The SBOM: SPDX 2.3 documents of what went into a binary, from the build's own facts.
export type { SpdxDocument, SpdxPackage, SpdxFile, Relationship } from "./spdx.js";
export type { InstalledPackage, InputFile, LinkedPackage, SbomInput } from "./types.js";
export type { BuildFacts } from "./collect.js";
export type { SbomRequest } from "./request.js";
export { SPDX_PREDICATE_TYPE } from "./spdx.js";
export { buildSpdxDocument, serializeSpdx } from "./document.js";
export { collectSbom } from "./collect.js";
export { sbomAttestation, SBOM_PATH } from "./attestation.js";
export { sbomRequest } from "./request.js";
