// A stand-in for llb/'s pb.* encoders in tests. The gateway never looks inside
// these bytes, so JSON is enough to check they travel intact.
import type { PbCodec, SourceOpInit } from "../codec.js";

const json = (v: unknown): Uint8Array => Buffer.from(JSON.stringify(v));

export const jsonCodec: PbCodec = {
  encodePlatform: json,
  encodeSourceOp: json,
  decodeSourceOp: (b) => JSON.parse(Buffer.from(b).toString()) as SourceOpInit,
  encodeSourceInfo: (info) => json({ ...info, data: Buffer.from(info.data).toString() }),
  encodeRange: json,
};
