// Builds the JSON descriptor of the gateway schema from the hand-written .proto
// files. Used only at development time: by generate-descriptor.ts, which writes
// gateway.descriptor.json, and by the test that keeps that file in sync.
// The frontend loads the JSON, never the .proto text, so the esbuild bundle is
// one self-contained file and start-up skips the .proto parser.

import { fileURLToPath } from "node:url";
import protobuf from "protobufjs";

export const GATEWAY_PROTO_PATH = fileURLToPath(new URL("./gateway.proto", import.meta.url));

export function buildGatewayDescriptor(): protobuf.INamespace {
  // keepCase: field names stay as in BuildKit's schema (FrontendAPICaps,
  // allowResultReturn), so code reads like BuildKit's docs.
  const root = new protobuf.Root().loadSync(GATEWAY_PROTO_PATH, { keepCase: true });
  root.resolveAll();
  return root.toJSON();
}
