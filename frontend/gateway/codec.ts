// What the gateway needs from llb/, the single owner of every pb.* message.
//
// gateway.proto declares pb.* fields as bytes, so the gateway only moves
// encoded messages; this interface is how it gets them. llb/ provides the
// implementation (encodePlatform, encodeSourceOp, ...); tests use a stand-in,
// since the gateway never looks inside these bytes.

import type { SourceSpan } from "../errors.js";
import type { Platform } from "./platforms.js";

export interface SourceOpInit {
  readonly identifier: string;
  readonly attrs?: Readonly<Record<string, string>>;
}

export interface SourceInfoInit {
  readonly filename: string;
  readonly data: Uint8Array;
  readonly language: string;
  /** Encoded pb.Definition of the LLB that loaded the file (optional). */
  readonly definition?: Uint8Array;
}

export interface PbCodec {
  encodePlatform(platform: Platform): Uint8Array;
  encodeSourceOp(op: SourceOpInit): Uint8Array;
  decodeSourceOp(bytes: Uint8Array): SourceOpInit;
  encodeSourceInfo(info: SourceInfoInit): Uint8Array;
  /** A pb.Range: 1-based lines; `column` goes to pb.Position.character. */
  encodeRange(span: SourceSpan): Uint8Array;
  /** The LLB caps a Definition declares in its op metadata; lets solve() refuse early, as Go does. */
  definitionCaps?(definition: Uint8Array): Iterable<string>;
}
