// The frontend's entry point: connect to BuildKit over stdio, run the build
// function, Return its result or error exactly once, and exit.
//
// Usage (the frontend's main module):
//
//   import { run, ResultBuilder } from "./gateway/index.js";
//   import { pbCodec } from "../llb/index.js";
//
//   await run(async (client) => {
//     const file = client.options.filename ?? "speck.yaml";
//     const src = await client.solve({ definition: localBuildFileDefinition(client, file) });
//     const text = await client.readFile(src.ref, file);
//     const platform = client.options.platforms[0] ?? client.workers[0]?.platforms[0] ?? hostPlatform();
//     const out = await client.solve({ definition: planToDefinition(parse(text), platform) });
//     return new ResultBuilder(client.options.multiPlatform)
//       .addPlatform(platform, out.ref, { os: platform.os, architecture: platform.architecture, config: {} })
//       .finalize();
//   }, { codec: pbCodec });
//
// Throw a UserError (frontend/errors.ts) for mistakes in the build file: buildx
// then prints the file, the line and the message. A failed solve/readFile throws
// a GatewayError; let it propagate and the daemon's own error reaches the user.
import "./stdout-guard.js";

import type { Readable, Writable } from "node:stream";
import { Bridge } from "./bridge.js";
import { CapSet } from "./caps.js";
import { GatewayClient } from "./client.js";
import type { PbCodec } from "./codec.js";
import { BuildOptions } from "./options.js";
import type { FrontendResult } from "./result.js";
import { ReturnOnce } from "./return-once.js";
import { parseWorkers } from "./workers.js";

export type BuildFunction = (client: GatewayClient) => Promise<FrontendResult>;

export interface RunOptions {
  /** llb/'s encoders for the pb.* messages the gateway carries. */
  readonly codec: PbCodec;
  readonly env?: NodeJS.ProcessEnv;
  readonly stdin?: Readable;
  readonly stdout?: Writable;
  /** Bound on the first call, as Go's 15 s (a daemon that never answers must not hang the build). */
  readonly pingTimeoutMs?: number;
  /** Ends the process (tests replace it). */
  readonly exit?: (code: number) => never;
}

function log(message: string): void {
  process.stderr.write(`speck: ${message}\n`);
}

export async function run(build: BuildFunction, opts: RunOptions): Promise<never> {
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  const env = opts.env ?? process.env;
  // Loaded here, not at the top: grpc-js loads node:http2, which a V8 startup
  // snapshot cannot hold (frontend/startup.ts), so the image's snapshot stops short of it.
  const { connectStdio } = await import("./transport.js");
  const conn = await connectStdio(opts.stdin, opts.stdout);
  const bridge = new Bridge(conn.client);
  let returned: ReturnOnce | undefined;
  let finished = false;

  // BuildKit closed our pipes: nobody can receive a result any more. Exit
  // non-zero now instead of waiting on calls that will never complete.
  void conn.disconnected.then(() => {
    if (finished) return;
    log("the connection to BuildKit closed before the build returned");
    exit(1);
  });

  let client: GatewayClient;
  try {
    const pong = await bridge.call("Ping", {}, { deadline: new Date(Date.now() + (opts.pingTimeoutMs ?? 15_000)) });
    client = new GatewayClient(bridge, opts.codec, BuildOptions.fromEnv(env), parseWorkers(env.BUILDKIT_WORKERS), {
      gateway: new CapSet("gateway", pong.FrontendAPICaps),
      llb: new CapSet("llb", pong.LLBCaps),
    });
  } catch (err) {
    finished = true;
    log(`cannot reach BuildKit's gateway: ${(err as Error).message}`);
    return exit(1);
  }

  returned = new ReturnOnce(bridge, client.caps);
  try {
    let sent: Promise<void>;
    try {
      const result = await build(client);
      sent = returned.result(result);
    } catch (err) {
      // Stack for the daemon log; the user sees only the message (status.ts).
      log(`build failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      sent = returned.done ? Promise.reject(err) : returned.error(err);
    }
    await sent;
  } catch (err) {
    finished = true;
    log(`Return failed: ${(err as Error).message}`);
    return exit(1);
  }
  finished = true;
  // The open HTTP/2 session and stdin would keep Node alive forever.
  return exit(0);
}
