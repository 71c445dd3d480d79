// Reading the user's build file from the `dockerfile` local, as BuildKit's
// Dockerfile frontend does: only that one file is transferred.

import { digestOf, encodeDefinition, local, marshal } from "../../llb/index.js";
import { GatewayError, GRPC_NOT_FOUND, type GatewayClient } from "../gateway/index.js";
import { MAX_SPEC_BYTES } from "../speckfile/index.js";
import { UserError } from "../errors.js";

export interface BuildFile {
  readonly name: string;
  readonly data: Uint8Array;
  /** Digest of the op that loaded the file: warnings about the file attach to it. */
  readonly digest: string;
}

/** buildx sends the base name of `-f`; without `-f` it is `Dockerfile`. */
export const DEFAULT_FILENAME = "Dockerfile";

export async function readBuildFile(client: GatewayClient): Promise<BuildFile> {
  const name = client.options.filename ?? DEFAULT_FILENAME;
  const state = local("dockerfile", {
    sessionId: client.options.localSessionId("dockerfile"),
    followPaths: [name],
    sharedKeyHint: "dockerfile",
    differ: "none",
    customName: `[internal] load build definition from ${name}`,
  });
  // The local op is platform independent; marshal needs one only for image and exec ops.
  const def = marshal(state, { platform: "linux/amd64" });
  const { ref } = await client.solve({ definition: encodeDefinition(def) });
  // Both calls at once: every build starts here, and a round trip is most of what each costs.
  // The read is bounded, so an oversized file costs at most the limit.
  const [stat, data] = await Promise.all([
    client.statFile(ref, name).catch(notFound),
    client.readFile(ref, name, { offset: 0, length: MAX_SPEC_BYTES + 1 }).catch(notFound),
  ]);
  if (!stat || !data) throw new UserError(`cannot read the build file ${name}: it is not in the directory given to -f`);
  if (stat.size > BigInt(MAX_SPEC_BYTES)) {
    throw new UserError(`the build file ${name} is ${stat.size} bytes; a speck file is at most ${MAX_SPEC_BYTES} bytes`);
  }
  const op = def.def[0];
  return { name, data, digest: op ? digestOf(op) : "" };
}

/**
 * A missing file is the user's to fix; any other failure (a lost session, a
 * cancelled build) is the daemon's, and passes through as it came.
 */
function notFound(e: unknown): undefined {
  if (e instanceof GatewayError && (e.code === GRPC_NOT_FOUND || /no such file or directory|not found/i.test(e.message))) return undefined;
  throw e;
}
