// gRPC to BuildKit over our own stdin/stdout.
//
// BuildKit serves LLBBridge as plain-text HTTP/2 on the frontend's stdio pipes.
// grpc-js cannot be handed a socket (its connector always dials an address), so
// we listen on a private Unix socket and relay the FIRST connection to
// stdin/stdout. Any later connection (a grpc-js reconnect) is destroyed: a second
// HTTP/2 preface on the same pipes would corrupt the one real stream.

import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable, Writable } from "node:stream";
import * as grpc from "@grpc/grpc-js";

export const MAX_MESSAGE_BYTES = 16 << 20; // BuildKit's server limit, each way

export const CHANNEL_OPTIONS: grpc.ChannelOptions = {
  // grpc-js drops an idle channel's transport after 30 min (and clamps -1 to
  // 1 s); that would end our only connection. This is the largest setTimeout.
  "grpc.client_idle_timeout_ms": 2147483647,
  "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
  "grpc.max_send_message_length": MAX_MESSAGE_BYTES,
};

// One process "exit" hook removes every relay's socket directory.
const openRelays = new Set<() => void>();
process.once("exit", () => {
  for (const close of openRelays) close();
});

export interface StdioConnection {
  readonly client: grpc.Client;
  /** Resolves when the daemon's side of the pipes ended (stdin EOF or error). */
  readonly disconnected: Promise<void>;
  /** Stops the relay and the channel (tests; the frontend itself just exits). */
  close(): void;
}

// The frontend image may lack /tmp (or TMPDIR); the root filesystem BuildKit
// gives the frontend is writable, so fall back to /dev/shm and the working dir.
function makeSocketDir(): string {
  const candidates = [tmpdir(), "/dev/shm", process.cwd()];
  let lastError: unknown;
  for (const base of candidates) {
    try {
      return mkdtempSync(join(base, "speck-"));
    } catch (e) {
      lastError = e;
    }
  }
  throw new Error(`cannot create the gRPC relay socket in ${candidates.join(", ")}`, { cause: lastError });
}

/** A grpc-js client for `target` (e.g. `unix:///path`) with BuildKit's limits. */
export function createBridgeClient(target: string): grpc.Client {
  return new grpc.Client(target, grpc.credentials.createInsecure(), CHANNEL_OPTIONS);
}

/** Connects a gRPC client to BuildKit through `input`/`output` (process.stdin/stdout by default). */
export async function connectStdio(input: Readable = process.stdin, output: Writable = process.stdout): Promise<StdioConnection> {
  const dir = makeSocketDir();
  const path = join(dir, "bridge.sock");
  let first: Socket | undefined;
  let onDisconnect!: () => void;
  const disconnected = new Promise<void>((resolve) => (onDisconnect = resolve));
  input.once("end", onDisconnect);
  input.once("close", onDisconnect);
  input.once("error", onDisconnect);
  output.once("error", onDisconnect); // EPIPE: the daemon closed our stdout

  const server: Server = createServer({ allowHalfOpen: true }, (sock) => {
    if (first) {
      sock.destroy();
      return;
    }
    first = sock;
    sock.on("error", () => {}); // the pipes' own events report the end
    input.pipe(sock);
    sock.pipe(output, { end: false });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(path, resolve);
  });
  const client = createBridgeClient(`unix://${path}`);

  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    openRelays.delete(close);
    client.close();
    server.close();
    first?.destroy();
    input.unpipe();
    rmSync(dir, { recursive: true, force: true });
  };
  openRelays.add(close);
  return { client, disconnected, close };
}
