// A bench-only entry for the frontend bundle: the same empty build as
// bench/null-frontend.ts (Ping, then Return an empty result), but over
// node:http2 straight on stdin/stdout, with no grpc-js and no relay socket.
// Beside the runtime-only floor it measures what grpc-js and its relay cost
// each build. It handles only the happy path of these two calls: a
// measurement, never part of the product (frontend/gateway is the runtime).
// Like the product, it starts from a startup snapshot (frontend/startup.ts), so
// node:http2 is loaded only after deserialising.

import type * as http2 from "node:http2";
import { Duplex } from "node:stream";
import { startFrontend } from "../frontend/startup.js";

const PATH = "/moby.buildkit.v1.frontend.LLBBridge/";
// ReturnRequest { result: Result {} }: field 1, length-delimited, empty.
const EMPTY_RESULT = Uint8Array.of(0x0a, 0x00);


function fail(why: string): never {
  process.stderr.write(`http2-null-frontend: ${why}\n`);
  process.exit(1);
}

/** One unary gRPC call: a 5-byte prefix (not compressed, big-endian length), then grpc-status from the trailers. */
function call(session: http2.ClientHttp2Session, method: string, message: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    const stream = session.request({ ":method": "POST", ":path": PATH + method, "content-type": "application/grpc", te: "trailers" });
    let status: string | undefined;
    stream.on("response", (headers) => (status = headers["grpc-status"]?.toString() ?? status));
    stream.on("trailers", (trailers) => (status = trailers["grpc-status"]?.toString() ?? status));
    stream.on("data", () => {});
    stream.on("end", () => (status === "0" ? resolve() : reject(new Error(`${method}: grpc-status ${status ?? "missing"}`))));
    stream.on("error", reject);
    const frame = Buffer.alloc(5 + message.length);
    frame.writeUInt32BE(message.length, 1);
    frame.set(message, 5);
    stream.end(frame);
  });
}

async function main(): Promise<never> {
  // Not import(): a script started from a snapshot has no dynamic import. Node >= 22.3.
  const { connect } = (process as unknown as { getBuiltinModule(id: "node:http2"): typeof http2 }).getBuiltinModule("node:http2");
  const session = connect("http://buildkit", { createConnection: () => Duplex.from({ readable: process.stdin, writable: process.stdout }) });
  session.on("error", (e) => fail(`connection: ${e.message}`));
  try {
    await call(session, "Ping", new Uint8Array(0));
    await call(session, "Return", EMPTY_RESULT);
  } catch (e) {
    fail((e as Error).message);
  }
  process.exit(0);
}

startFrontend(() => void main());
