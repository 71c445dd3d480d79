// A bench-only entry for the frontend bundle: the real gateway runtime (Ping,
// capabilities, Return) around a build that does nothing and returns an empty
// result. Built into an image the way the product image is built
// (test/e2e/build-frontend-image.sh with SPECK_BUNDLE_ENTRY: a startup snapshot
// of this file), it measures what any frontend written on this runtime costs
// before it does any work: the floor under speck's no-op rebuild. Its snapshot
// is rehearsed as speck's is (frontend/rehearsal.ts), so the floor has its
// codecs compiled too. Never part of the product.

import { ResultBuilder, run, type BuildFunction } from "../frontend/gateway/index.js";
import { pbCodec } from "../frontend/pb-codec.js";
import { rehearse } from "../frontend/rehearsal.js";
import { startFrontend } from "../frontend/startup.js";

const empty: BuildFunction = async () => new ResultBuilder(false).finalize();
startFrontend(
  () => void run(empty, { codec: pbCodec }),
  () => rehearse(empty, pbCodec),
);
