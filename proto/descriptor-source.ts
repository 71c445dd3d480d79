// Builds the JSON descriptors of our schemas from the hand-written .proto
// files. Used only at development time: by generate-descriptor.ts, which
// writes *.descriptor.json, and by the tests that keep those files in sync.
// The frontend loads the JSON, never the .proto text, so the esbuild bundle is
// one self-contained file and start-up skips the .proto parser.

import { fileURLToPath } from "node:url";
import protobuf from "protobufjs";

export interface Schema {
  readonly proto: string;
  readonly descriptor: string;
  /**
   * keepCase: the gateway keeps BuildKit's field names (FrontendAPICaps,
   * allowResultReturn) so code reads like BuildKit's docs; LLB uses
   * protobufjs's camelCase, as its builder types do.
   */
  readonly keepCase: boolean;
}

export const SCHEMAS: readonly Schema[] = [
  { proto: "gateway.proto", descriptor: "gateway.descriptor.json", keepCase: true },
  { proto: "llb.proto", descriptor: "llb.descriptor.json", keepCase: false },
];

export function schemaPath(file: string): string {
  return fileURLToPath(new URL(`./${file}`, import.meta.url));
}

export function buildDescriptor(schema: Schema): protobuf.INamespace {
  const root = new protobuf.Root().loadSync(schemaPath(schema.proto), { keepCase: schema.keepCase });
  root.resolveAll();
  return root.toJSON();
}
