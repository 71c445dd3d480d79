// The gateway carries every pb.* message as opaque bytes (see
// proto/gateway.proto); this adapter hands it llb/'s encoders, the single
// owner of those messages.

import { decodeSourceOp, definitionCaps, encodePlatform, encodeRange, encodeSourceInfo, encodeSourceOp } from "../llb/index.js";
import type { PbCodec } from "./gateway/index.js";

export const pbCodec: PbCodec = {
  encodePlatform,
  encodeSourceOp,
  decodeSourceOp,
  encodeSourceInfo: (info) => encodeSourceInfo(info),
  // Our spans count columns from 1; pb.Position.character counts from 0.
  encodeRange: (span) =>
    encodeRange({
      start: { line: span.start.line, character: Math.max(0, span.start.column - 1) },
      end: { line: span.end.line, character: Math.max(0, span.end.column - 1) },
    }),
  definitionCaps,
};
