// The build platform: the worker's own platform, where speck runs its
// toolchain and compile for every target (cross compilers), so that only
// the final image is the target's.
//
// How an exec runs on it: an LLB op without a platform of its own gets the
// marshal default, which a build sets to the target. An exec inherits the
// platform of the state it runs on, so start the state from an image
// resolved for the build platform (`image(ref, { platform })`), or set it
// with `state.platform(buildPlatform)` before `.run()`; every exec on that
// state, and on states derived from it, then carries the build platform.
// BuildKit runs an op natively when its platform is the worker's, under
// emulation otherwise.

import type { Platform } from "../../llb/index.js";
import { hostPlatform, type GatewayClient } from "../gateway/index.js";

/**
 * The platform the worker runs natively: the first platform of the first
 * worker (BuildKit lists the native one first, then those it can emulate),
 * else the frontend's own machine.
 */
export function buildPlatformOf(client: GatewayClient): Platform {
  return client.workers[0]?.platforms[0] ?? hostPlatform();
}
