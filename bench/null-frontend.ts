// A bench-only entry for the frontend bundle: the real gateway runtime (Ping,
// capabilities, Return) around a build that does nothing and returns an empty
// result. Built into an image the way the product image is built
// (test/e2e/build-frontend-image.sh with SPECK_BUNDLE_ENTRY: a startup snapshot
// of this file), it measures what any frontend written on this runtime costs
// before it does any work: the floor under speck's no-op rebuild. Never part of
// the product.

import { ResultBuilder, run } from "../frontend/gateway/index.js";
import { pbCodec } from "../frontend/pb-codec.js";
import { startFrontend } from "../frontend/startup.js";

startFrontend(() => void run(async () => new ResultBuilder(false).finalize(), { codec: pbCodec }));
