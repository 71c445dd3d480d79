// The build platform: where toolchain steps run. BuildKit's default for a
// build's own steps is the worker's platform; a toolchain that cross-compiles
// (Go always, C/C++ once clang targets are used) runs there, and only the
// final image is the target platform's, so nothing is emulated.

import type { Platform } from "../../llb/index.js";
import { hostPlatform, type GatewayClient } from "../gateway/index.js";

/** The first worker's first platform, as `targetPlatforms` defaults to; the frontend's own only without workers. */
export function buildPlatformOf(client: GatewayClient): Platform {
  return client.workers[0]?.platforms[0] ?? hostPlatform();
}
