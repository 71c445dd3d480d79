// Definition: the marshalled graph, and the byte-level seams the gateway layer
// uses (it carries pb messages as opaque bytes; llb/ owns every LLB type).
// fromDefinition() splices a foreign Definition (a ref's def, a named-context
// input) into a new graph byte for byte, so its digests stay what the daemon
// already knows.

import * as pb from "../proto/llb.js";
import { digestOf } from "./digest.js";
import { encodeMessage } from "./encode.js";
import { LlbError } from "./errors.js";
import { fromPbPlatform, toPbPlatform, type Platform } from "./platform.js";
import { State } from "./state.js";
import type { MarshalledOp, OpOptions, Output, SourceInfo, SourceRange, Vertex } from "./vertex.js";

export interface Definition {
  /**
   * Encoded ops; the last one is the terminal op naming the result. Entries
   * may be views into a shared buffer: read them as views, never via `.buffer`.
   */
  readonly def: readonly Uint8Array[];
  /** Per-op metadata keyed by `sha256:<hex>` of the op bytes. */
  readonly metadata: Readonly<Record<string, pb.OpMetadata>>;
  readonly source?: pb.Source;
}

export function encodeDefinition(def: Definition): Uint8Array {
  const msg: pb.Definition = { def: def.def, metadata: def.metadata };
  if (def.source) msg.Source = def.source;
  // A Definition runs to megabytes; growing the buffer by doubling would leave
  // ~3x its size in discarded buffers. Ops are copied as they are, and a
  // metadata entry (a digest key, caps, a name) is well under 192 bytes.
  let size = 0;
  for (const op of def.def) size += op.length + 5;
  for (const _ in def.metadata) size += 192;
  return encodeMessage("Definition", msg, size);
}

export function decodeDefinition(bytes: Uint8Array): Definition {
  let msg: pb.Definition;
  try {
    msg = pb.decodeMessage<pb.Definition>("Definition", bytes);
  } catch (cause) {
    throw new LlbError("INVALID_DEFINITION", `cannot decode pb.Definition: ${(cause as Error).message}`, { cause });
  }
  return {
    def: (msg.def ?? []).map((b) => new Uint8Array(b)),
    metadata: msg.metadata ?? {},
    ...(msg.Source ? { source: msg.Source } : {}),
  };
}

/** The LLB caps a Definition's ops declare (OpMetadata.caps set to true), without decoding the ops. */
export function definitionCaps(bytes: Uint8Array): Set<string> {
  try {
    return pb.definitionCaps(bytes);
  } catch (cause) {
    throw new LlbError("INVALID_DEFINITION", `cannot decode pb.Definition: ${(cause as Error).message}`, { cause });
  }
}

export function encodePlatform(p: Platform): Uint8Array {
  return encodeMessage("Platform", toPbPlatform(p));
}

export function decodePlatform(bytes: Uint8Array): Platform {
  return fromPbPlatform(pb.decodeMessage<pb.Platform>("Platform", bytes));
}

export function toPbSourceInfo(info: SourceInfo): pb.SourceInfo {
  const out: pb.SourceInfo = {
    filename: info.filename,
    data: typeof info.data === "string" ? new TextEncoder().encode(info.data) : info.data,
    language: info.language ?? "",
  };
  if (info.definition && info.definition.length > 0) out.definition = pb.decodeMessage<pb.Definition>("Definition", info.definition);
  return out;
}

export function toPbRange(r: SourceRange): pb.Range {
  return {
    start: { line: r.start.line, character: r.start.character ?? 0 },
    end: { line: r.end.line, character: r.end.character ?? 0 },
  };
}

/** For errdefs.Source details and gateway Warn requests. */
export function encodeSourceInfo(info: SourceInfo): Uint8Array {
  return encodeMessage("SourceInfo", toPbSourceInfo(info));
}

export function encodeRange(r: SourceRange): Uint8Array {
  return encodeMessage("Range", toPbRange(r));
}

/** A pb.SourceOp (e.g. for ResolveSourceMeta). */
export function encodeSourceOp(op: { readonly identifier: string; readonly attrs?: Readonly<Record<string, string>> }): Uint8Array {
  return encodeMessage("SourceOp", { identifier: op.identifier, attrs: op.attrs ?? {} });
}

/** Reads a pb.SourceOp (ResolveSourceMeta answers with the source after policies). */
export function decodeSourceOp(bytes: Uint8Array): { identifier: string; attrs: Readonly<Record<string, string>> } {
  const op = pb.decodeMessage<pb.SourceOp>("SourceOp", bytes);
  return { identifier: op.identifier ?? "", attrs: op.attrs ?? {} };
}

/** The SourceOp a state's output comes from directly, if it is a source (image, local, git, http). */
export function sourceOpOf(state: State): { identifier: string; attrs: Readonly<Record<string, string>> } | undefined {
  const v = state.output?.vertex as (Vertex & { identifier?: string; attrs?: Readonly<Record<string, string>> }) | undefined;
  if (v?.kind !== "source" || v.identifier === undefined) return undefined;
  return { identifier: v.identifier, attrs: v.attrs ?? {} };
}

/** A foreign graph spliced in as one vertex; marshal copies its ops as received. */
export class DefinitionVertex implements Vertex {
  readonly kind = "definition";
  readonly inputs: readonly Output[] = [];
  readonly options: OpOptions = {};
  /** Op bytes (terminal excluded) with their digests, in received order. */
  readonly ops: readonly { readonly digest: string; readonly bytes: Uint8Array }[];
  readonly metadata: Readonly<Record<string, pb.OpMetadata>>;
  readonly source: pb.Source | undefined;
  /** Digest of the op whose output is the result (the terminal's inputs[0]). */
  readonly resultDigest: string;
  readonly resultIndex: number;

  constructor(def: Definition) {
    const entries = def.def;
    const last = entries[entries.length - 1];
    if (last === undefined) throw new LlbError("INVALID_DEFINITION", "fromDefinition: the Definition has no ops (it is scratch)");
    const terminal = pb.decodeOp(last);
    const result = terminal.inputs?.[0];
    if (!result?.digest) throw new LlbError("INVALID_DEFINITION", "fromDefinition: the last op is not a terminal op with an input");
    const index = Number(result.index ?? 0);
    if (!Number.isSafeInteger(index) || index < 0) throw new LlbError("INVALID_DEFINITION", `fromDefinition: invalid result index ${index}`);
    this.ops = Object.freeze(entries.slice(0, -1).map((bytes) => ({ digest: digestOf(bytes), bytes })));
    if (!this.ops.some((o) => o.digest === result.digest)) {
      throw new LlbError("INVALID_DEFINITION", `fromDefinition: the result ${result.digest} is not among the Definition's ops`);
    }
    this.metadata = def.metadata;
    this.source = def.source;
    this.resultDigest = result.digest;
    this.resultIndex = index;
    Object.freeze(this);
  }

  marshal(): MarshalledOp {
    throw new Error("a spliced Definition is copied by marshal(), never re-encoded");
  }
}

/** A state whose filesystem is the result of a foreign Definition (bytes or decoded). */
export function fromDefinition(input: Uint8Array | Definition): State {
  const def = input instanceof Uint8Array ? decodeDefinition(input) : input;
  const v = new DefinitionVertex(def);
  return new State({ vertex: v, index: v.resultIndex });
}
