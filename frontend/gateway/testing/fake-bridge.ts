// An in-process LLBBridge for tests: a real grpc-js server on a Unix socket,
// and a way to wire a frontend's stdin/stdout to it, as buildkitd wires the
// frontend container's pipes to its own server.

import { mkdtempSync, rmSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable, Writable } from "node:stream";
import * as grpc from "@grpc/grpc-js";
import {
  decodeMessage,
  encodeMessage,
  llbBridgeServiceDefinition,
  type APICap,
  type LLBBridgeMethod,
  type MessageInit,
  type RequestOf,
  type ResponseOf,
  type Status,
} from "../../../proto/gateway.js";

export type FakeHandlers = {
  [M in LLBBridgeMethod]?: (request: RequestOf<M>) => MessageInit<ResponseOf<M>> | Promise<MessageInit<ResponseOf<M>>>;
};

/** Thrown by a handler: the call fails with this status, details in grpc-status-details-bin. */
export class FakeStatus extends Error {
  constructor(readonly status: Status) {
    super(status.message);
  }
}

export function caps(...ids: string[]): APICap[] {
  return ids.map((ID) => ({ ID, Enabled: true, Deprecated: false, DisabledReason: "", DisabledReasonMsg: "", DisabledAlternative: "" }));
}

/** Gateway caps every supported daemon (v0.13+) reports. */
export const MODERN_GATEWAY_CAPS = caps(
  "solve.base", "resolveimage", "readfile", "return", "returnmap", "readdir", "statfile", "importcaches",
  "proto.refarray", "reference.output", "frontend.inputs", "gateway.solve.evaluate", "gateway.evaluate",
  "gateway.warnings", "reference.attestations", "source.metaresolver",
);

export interface FakeBridge {
  readonly socketPath: string;
  readonly calls: { method: LLBBridgeMethod; request: unknown }[];
  /** Raw bytes of every ReturnRequest received. */
  readonly returns: Uint8Array[];
  /** Connects a frontend's pipes: what it writes to `frontendStdout` reaches the server, replies go to `frontendStdin`. */
  attach(frontendStdout: Readable, frontendStdin: Writable): Socket;
  close(): Promise<void>;
}

export async function startFakeBridge(handlers: FakeHandlers = {}): Promise<FakeBridge> {
  const dir = mkdtempSync(join(tmpdir(), "speck-fake-"));
  const socketPath = join(dir, "buildkitd.sock");
  const calls: FakeBridge["calls"] = [];
  const returns: Uint8Array[] = [];
  const definition: Record<string, grpc.MethodDefinition<unknown, unknown>> = { ...llbBridgeServiceDefinition() };
  const ret = definition.Return;
  if (ret) {
    definition.Return = {
      ...ret,
      requestDeserialize: (b: Buffer) => {
        returns.push(new Uint8Array(b));
        return decodeMessage("ReturnRequest", b);
      },
    };
  }
  const all: FakeHandlers = { Ping: () => ({ FrontendAPICaps: MODERN_GATEWAY_CAPS }), Return: () => ({}), ...handlers };
  const impl: grpc.UntypedServiceImplementation = {};
  for (const method of Object.keys(definition) as LLBBridgeMethod[]) {
    impl[method] = (call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) => {
      calls.push({ method, request: call.request });
      const h = all[method] as ((r: unknown) => unknown) | undefined;
      if (!h) {
        callback({ code: grpc.status.UNIMPLEMENTED, details: `fake: ${method} not implemented` });
        return;
      }
      Promise.resolve()
        .then(() => h(call.request))
        .then(
          (resp) => callback(null, resp),
          (err: unknown) => {
            if (err instanceof FakeStatus) {
              const md = new grpc.Metadata();
              md.set("grpc-status-details-bin", Buffer.from(encodeMessage("Status", err.status)));
              callback({ code: err.status.code, details: err.status.message, metadata: md });
            } else callback({ code: grpc.status.INTERNAL, details: String(err) });
          },
        );
    };
  }
  const server = new grpc.Server({ "grpc.max_receive_message_length": 16 << 20, "grpc.max_send_message_length": -1 });
  server.addService(definition, impl);
  await new Promise<void>((resolve, reject) =>
    server.bindAsync(`unix://${socketPath}`, grpc.ServerCredentials.createInsecure(), (err) => (err ? reject(err) : resolve())),
  );
  const sockets: Socket[] = [];
  return {
    socketPath,
    calls,
    returns,
    attach(frontendStdout, frontendStdin) {
      const sock = connect(socketPath);
      sockets.push(sock);
      sock.on("error", () => {});
      frontendStdout.pipe(sock);
      sock.pipe(frontendStdin);
      return sock;
    },
    async close() {
      for (const s of sockets) s.destroy();
      server.forceShutdown();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
