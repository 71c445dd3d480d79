// A GatewayClient wired to a fake LLBBridge through the real stdio relay
// (PassThrough pipes stand in for the frontend's stdin/stdout), for the
// transport and client tests.

import { PassThrough } from "node:stream";
import type { APICap } from "../../../proto/gateway.js";
import { Bridge } from "../bridge.js";
import { CapSet } from "../caps.js";
import { GatewayClient } from "../client.js";
import type { PbCodec } from "../codec.js";
import { BuildOptions } from "../options.js";
import { connectStdio, type StdioConnection } from "../transport.js";
import { MODERN_GATEWAY_CAPS, startFakeBridge, type FakeBridge, type FakeHandlers } from "./fake-bridge.js";
import { jsonCodec } from "./json-codec.js";

export interface ConnectedClientOptions {
  readonly gatewayCaps?: readonly APICap[];
  readonly llbCaps?: readonly APICap[];
  readonly codec?: PbCodec;
  /** Frontend options (key, value), as BUILDKIT_FRONTEND_OPT_* would give them. */
  readonly opts?: readonly [string, string][];
}

export interface ConnectedClient {
  readonly fake: FakeBridge;
  readonly client: GatewayClient;
  readonly bridge: Bridge;
  readonly conn: StdioConnection;
  /** The frontend's stdin: ending it is what the frontend sees when the daemon goes away. */
  readonly stdin: PassThrough;
}

/** Starts the fake and connects a client to it; `defer` receives what to close after the test. */
export async function connectedClient(handlers: FakeHandlers, o: ConnectedClientOptions, defer: (close: () => unknown) => void): Promise<ConnectedClient> {
  const fake = await startFakeBridge(handlers);
  defer(() => fake.close());
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const conn = await connectStdio(stdin, stdout);
  defer(() => conn.close());
  fake.attach(stdout, stdin);
  const bridge = new Bridge(conn.client);
  const client = new GatewayClient(bridge, o.codec ?? jsonCodec, new BuildOptions(new Map(o.opts ?? []), "sess"), [], {
    gateway: new CapSet("gateway", o.gatewayCaps ?? MODERN_GATEWAY_CAPS),
    llb: new CapSet("llb", o.llbCaps ?? []),
  });
  return { fake, client, bridge, conn, stdin };
}
