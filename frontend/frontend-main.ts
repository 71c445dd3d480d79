// The frontend: the gateway runtime around speck's build function. Both entries
// run it: frontend/snapshot.ts (the image, from a V8 startup snapshot) and
// `speck frontend` (frontend/main.ts, a plain process).

import { run } from "./gateway/index.js";
import { build } from "./pipeline/build.js";
import { pbCodec } from "./pb-codec.js";
import { rehearse } from "./rehearsal.js";

export function frontendMain(): Promise<never> {
  return run(build, { codec: pbCodec });
}

/** The same build against canned answers, while a startup snapshot is built (rehearsal.ts). */
export function rehearseFrontend(): Promise<void> {
  return rehearse(build, pbCodec);
}
