// DiffOp: the files that changed from `lower` to `upper`, as a filesystem
// (deletions become whiteouts when exported). Like Go: diff(scratch, scratch)
// is scratch and diff(scratch, upper) is upper.

import type * as pb from "../proto/llb.js";
import { Caps, internCaps } from "./caps.js";
import type { State } from "./state.js";
import { scratch } from "./state.js";
import { pickOpOptions, type MarshalContext, type MarshalledOp, type OpOptions, type Output, type Vertex } from "./vertex.js";

const DIFF_CAPS = internCaps([Caps.diffOp]);

class DiffVertex implements Vertex {
  readonly kind = "diff";
  readonly inputs: readonly Output[];

  constructor(
    readonly lower: Output,
    readonly upper: Output | undefined,
    readonly options: OpOptions,
  ) {
    this.inputs = Object.freeze(upper ? [lower, upper] : [lower]);
    Object.freeze(this);
  }

  marshal(ctx: MarshalContext): MarshalledOp {
    const inputs: pb.Input[] = [ctx.input(this.lower)];
    let upper = -1;
    if (this.upper) {
      inputs.push(ctx.input(this.upper));
      upper = 1;
    }
    const diff: pb.DiffOp = { lower: { input: 0 }, upper: { input: upper } };
    return { op: { inputs, constraints: {}, diff }, caps: DIFF_CAPS };
  }
}

/** Changes from `lower` to `upper`. Needs the `diffop` cap (disabled on Docker's graphdriver store). */
export function diff(lower: State, upper: State, options: OpOptions = {}): State {
  if (lower.output === undefined) return upper.isScratch() ? scratch() : upper;
  return lower.withOutput({ vertex: new DiffVertex(lower.output, upper.output, pickOpOptions(options)), index: 0 });
}
