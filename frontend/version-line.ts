// The first progress line of every build names the frontend (frontend/version.ts), so that a
// build log pasted into a bug report says which speck made it. BuildKit shows a line per vertex
// it solves, so the line is a vertex: an empty directory on scratch, named with the version.
// Its op is the same for every version, so after the first build it is a cache hit; the name
// comes from this build's definition. It is solved (and awaited) before anything else, which
// costs one gateway round trip per build.

import { encodeDefinition, marshal, mkdir, scratch } from "../llb/index.js";
import type { GatewayClient } from "./gateway/index.js";
import { versionLine } from "./version.js";

export async function announceVersion(client: GatewayClient): Promise<void> {
  const state = scratch().file([mkdir("/speck", 0o755)], { customName: versionLine() });
  // Platform independent, as the build file's local op; marshal needs one for image and exec ops only.
  await client.solve({ definition: encodeDefinition(marshal(state, { platform: "linux/amd64" })), evaluate: true });
}
