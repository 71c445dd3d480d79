// The SBOM as BuildKit takes it: a file in a solved result, named by an
// in-toto attestation of kind InToto with predicate type
// https://spdx.dev/Document. BuildKit wraps it in a statement whose subject is
// the image and stores it in an attestation manifest of the index
// (exporter/containerimage/writer.go); the local exporter writes the
// statement as `<base name of path>` (exporter/local/fs.go).
//
// No `sbom-core` metadata: with it BuildKit would decode, rewrite and
// re-encode the document (exporter/containerimage/attestations.go,
// supplementSBOM, adds layer comments and a `buildkit-<version>` creator),
// and the bytes would then depend on the daemon's version.

import { encodeDefinition, marshal, mkfile, scratch, timestampFromSeconds, type Platform } from "../../llb/index.js";
import type { GatewayClient, InTotoAttestation } from "../gateway/index.js";
import { SPDX_PREDICATE_TYPE } from "./spdx.js";

export const SBOM_PATH = "/sbom.spdx.json";

export async function sbomAttestation(client: GatewayClient, document: Uint8Array, platform: Platform, epochSeconds: number, label: string): Promise<InTotoAttestation> {
  const state = scratch().file([mkfile(SBOM_PATH, 0o644, document, { owner: { user: 0, group: 0 }, timestamp: timestampFromSeconds(epochSeconds) })], {
    customName: `${label} write the SBOM (SPDX 2.3)`,
  });
  const { ref } = await client.solve({ definition: encodeDefinition(marshal(state, { platform })) });
  if (!ref) throw new Error("solving the SBOM file gave an empty result");
  return {
    ref,
    path: SBOM_PATH,
    predicateType: SPDX_PREDICATE_TYPE,
    metadata: new Map([["reason", new TextEncoder().encode("sbom")]]),
  };
}
