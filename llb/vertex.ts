// The small contract every op kind implements (source.ts, exec.ts, file-op.ts,
// merge.ts, diff.ts), and the per-op options they all accept.

import type * as pb from "../proto/llb.js";

/** A file an op came from, for BuildKit's source maps (shown with build errors). */
export interface SourceInfo {
  readonly filename: string;
  /** The whole file; BuildKit prints lines of it around a failing step. */
  readonly data: Uint8Array | string;
  /** Shown by buildx next to the snippet, e.g. "YAML". */
  readonly language?: string;
  /** The LLB that loaded the file (encoded pb.Definition), if any. */
  readonly definition?: Uint8Array;
}

/** 1-based line; `character` is 0-based and not used by BuildKit's printer. */
export interface SourcePosition {
  readonly line: number;
  readonly character?: number;
}

export interface SourceRange {
  readonly start: SourcePosition;
  readonly end: SourcePosition;
}

export interface SourceLocation {
  readonly source: SourceInfo;
  readonly ranges: readonly SourceRange[];
}

export interface ProgressGroup {
  readonly id: string;
  readonly name?: string;
  readonly weak?: boolean;
}

/** Options every op accepts. They land in OpMetadata and the Source map; none is hashed. */
export interface OpOptions {
  /** Name shown in progress output (`llb.customname`). */
  readonly customName?: string;
  /** Extra description entries (e.g. `com.docker.dockerfile.v1.command`). */
  readonly description?: Readonly<Record<string, string>>;
  /** Never reuse a cached result of this op. */
  readonly ignoreCache?: boolean;
  readonly progressGroup?: ProgressGroup;
  /** Where in the user's files this op came from. */
  readonly sourceLocations?: readonly SourceLocation[];
}

/** One output of an op. Scratch is represented by the absence of an Output. */
export interface Output {
  readonly vertex: Vertex;
  readonly index: number;
}

export interface MarshalContext {
  /** Platform for platform-specific ops (images, execs) that were not given one. */
  readonly platform: pb.Platform;
  /** The pb.Input naming an output whose op has already been marshalled. */
  input(output: Output): pb.Input;
}

export interface MarshalledOp {
  readonly op: pb.Op;
  /** From caps.ts internCaps: marshal shares one metadata record per list. */
  readonly caps: readonly string[];
}

export type VertexKind = "source" | "exec" | "file" | "merge" | "diff" | "definition";

export interface Vertex {
  readonly kind: VertexKind;
  /** Outputs this op reads, in the order BuildKit's Go builder visits them (sets def order). */
  readonly inputs: readonly Output[];
  readonly options: OpOptions;
  marshal(ctx: MarshalContext): MarshalledOp;
}

/** Keeps the first occurrence of each distinct output, in order. */
export function uniqueOutputs(outputs: Iterable<Output | undefined>): Output[] {
  // Ops have a handful of inputs: a linear scan beats allocating a Set per op.
  const out: Output[] = [];
  for (const o of outputs) {
    if (o && !out.some((x) => x.vertex === o.vertex && x.index === o.index)) out.push(o);
  }
  return out;
}

/**
 * The pb.Inputs of an op's structural inputs (distinct Outputs). Go
 * de-duplicates by (digest, index), and two distinct but identical vertices
 * share a digest: then `remap` maps structural positions to the merged ones.
 */
export function resolveInputs(ctx: MarshalContext, outputs: readonly Output[]): { inputs: pb.Input[]; remap: number[] | undefined } {
  const inputs: pb.Input[] = [];
  let remap: number[] | undefined;
  for (let i = 0; i < outputs.length; i++) {
    const input = ctx.input(outputs[i] as Output);
    const j = inputs.findIndex((x) => x.digest === input.digest && x.index === input.index);
    if (j < 0) inputs.push(input);
    if (j >= 0 || remap) {
      remap ??= Array.from({ length: i }, (_, k) => k);
      remap.push(j >= 0 ? j : inputs.length - 1);
    }
  }
  return { inputs, remap };
}

/** Copies only the OpOptions fields out of a larger options object. */
const NO_OPTIONS: OpOptions = Object.freeze({});

export function pickOpOptions(o: OpOptions): OpOptions {
  if (
    o.customName === undefined &&
    o.description === undefined &&
    o.ignoreCache === undefined &&
    o.progressGroup === undefined &&
    o.sourceLocations === undefined
  ) {
    return NO_OPTIONS;
  }
  const out: { -readonly [K in keyof OpOptions]: OpOptions[K] } = {};
  if (o.customName !== undefined) out.customName = o.customName;
  if (o.description !== undefined) out.description = o.description;
  if (o.ignoreCache !== undefined) out.ignoreCache = o.ignoreCache;
  if (o.progressGroup !== undefined) out.progressGroup = o.progressGroup;
  if (o.sourceLocations !== undefined) out.sourceLocations = o.sourceLocations;
  return Object.freeze(out);
}
