// MergeOp: layers several filesystems on top of each other (later wins),
// without copying (BuildKit merges snapshots). Like Go: scratch inputs are
// dropped, no inputs give scratch, one input is returned as is.

import type * as pb from "../proto/llb.js";
import { Caps, internCaps } from "./caps.js";
import type { State } from "./state.js";
import { scratch } from "./state.js";
import { pickOpOptions, type MarshalContext, type MarshalledOp, type OpOptions, type Output, type Vertex } from "./vertex.js";

const MERGE_CAPS = internCaps([Caps.mergeOp]);

class MergeVertex implements Vertex {
  readonly kind = "merge";

  constructor(
    readonly inputs: readonly Output[],
    readonly options: OpOptions,
  ) {
    Object.freeze(this);
  }

  marshal(ctx: MarshalContext): MarshalledOp {
    // One Op.input per merged state, in order, not de-duplicated (as Go does).
    const inputs: pb.Input[] = this.inputs.map((o) => ctx.input(o));
    const merge: pb.MergeOp = { inputs: inputs.map((_, i) => ({ input: i })) };
    return { op: { inputs, constraints: {}, merge }, caps: MERGE_CAPS };
  }
}

/**
 * Merges states in order. The result keeps the first non-scratch state's
 * metadata (env, dir, …). Needs the `mergeop` cap, which Docker's classic
 * graphdriver store reports as disabled.
 */
export function merge(states: readonly State[], options: OpOptions = {}): State {
  const present = states.filter((s) => !s.isScratch());
  const first = present[0];
  if (first === undefined) return scratch();
  if (present.length === 1) return first;
  const outputs = present.map((s) => s.output as Output);
  return first.withOutput({ vertex: new MergeVertex(Object.freeze(outputs), pickOpOptions(options)), index: 0 });
}
