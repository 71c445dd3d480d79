// Shared by the *.test.ts files: marshal a state and decode every op back with
// protobufjs, so tests assert on what goes over the wire, not on builder objects.

import * as pb from "../proto/llb.js";
import type { Definition } from "./definition.js";
import { digestOf } from "./digest.js";
import { LlbError } from "./errors.js";
import { marshal, type MarshalOptions } from "./marshal.js";
import type { State } from "./state.js";

export interface Decoded {
  readonly def: Definition;
  readonly digests: readonly string[];
  readonly ops: readonly pb.Op[];
  /** The op whose output the terminal names. */
  readonly result: pb.Op;
  byDigest(d: string | undefined): pb.Op;
  /** Metadata caps of an op, sorted. */
  caps(op: pb.Op): string[];
}

export function decodeAll(state: State, options: Partial<MarshalOptions> = {}): Decoded {
  const def = marshal(state, { platform: "linux/amd64", ...options });
  const digests = def.def.map(digestOf);
  const ops = def.def.map((b) => pb.decodeOp(b));
  const byDigest = (d: string | undefined): pb.Op => {
    const i = digests.indexOf(d ?? "");
    const op = ops[i];
    if (i < 0 || op === undefined) throw new Error(`no op ${d}`);
    return op;
  };
  const terminal = ops[ops.length - 1] as pb.Op;
  return {
    def,
    digests,
    ops,
    result: byDigest(terminal.inputs?.[0]?.digest),
    byDigest,
    caps(op: pb.Op): string[] {
      const d = digests[ops.indexOf(op)] ?? "";
      return Object.keys(def.metadata[d]?.caps ?? {}).sort();
    },
  };
}

/** The LlbError code `f` throws, undefined if it throws nothing. */
export function errorCode(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return e instanceof LlbError ? e.code : `not an LlbError: ${String(e)}`;
  }
  return undefined;
}
