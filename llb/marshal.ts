// marshal(): a State's graph -> Definition, like Go's State.Marshal.
// Ops are visited depth-first, inputs before the op (post-order, iteratively:
// a 10,000-step chain must not overflow the stack), each op encoded once and
// de-duplicated by digest, then the terminal op (only inputs[0]) appended
// last. Metadata is keyed by digest; source locations are gathered into one
// Source with de-duplicated infos. No clock, no randomness, no host lookups.

import type * as pb from "../proto/llb.js";
import { Caps } from "./caps.js";
import { DefinitionVertex, toPbRange, toPbSourceInfo, type Definition } from "./definition.js";
import { digestOf } from "./digest.js";
import { encodeOp } from "./encode.js";
import { LlbError } from "./errors.js";
import { asPlatform, toPbPlatform, type Platform } from "./platform.js";
import type { State } from "./state.js";
import type { MarshalContext, OpOptions, Output, SourceInfo, Vertex } from "./vertex.js";

export interface MarshalOptions {
  /**
   * Platform of image and exec ops that were not given one. Required: the
   * graph must not depend on the machine that builds it.
   */
  readonly platform: Platform | string;
  /**
   * LLB caps the daemon supports and enables (Pong.LLBCaps). When given, an op
   * needing any other cap fails here with CAP_NOT_SUPPORTED instead of at the daemon.
   */
  readonly caps?: Iterable<string>;
}

type MutableMetadata = {
  ignoreCache?: boolean;
  description?: Record<string, string>;
  /** Often shared between ops with the same caps: replaced, never mutated. */
  caps?: Readonly<Record<string, boolean>>;
  progressGroup?: pb.ProgressGroup;
  exportCache?: { Value?: boolean };
};

function describe(v: Vertex, op: pb.Op): string {
  if (op.source) return `source ${op.source.identifier}`;
  if (op.exec) return `exec ${JSON.stringify(op.exec.meta?.args ?? [])}`;
  return v.options.customName ? `${v.kind} "${v.options.customName}"` : `${v.kind} op`;
}

function mergeMetadata(into: MutableMetadata, options: OpOptions, caps: readonly string[]): void {
  if (options.ignoreCache) into.ignoreCache = true;
  if (options.description || options.customName !== undefined) {
    into.description = { ...into.description, ...options.description };
    if (options.customName !== undefined) into.description["llb.customname"] = options.customName;
  }
  if (options.progressGroup && !into.progressGroup) {
    const g = options.progressGroup;
    into.progressGroup = { id: g.id, ...(g.name ? { name: g.name } : {}), ...(g.weak ? { weak: true } : {}) };
  }
  if (caps.length > 0) {
    if (into.caps === undefined) {
      into.caps = capsRecord(caps);
    } else {
      const merged: Record<string, boolean> = { ...into.caps };
      for (const c of caps) merged[c] = true;
      into.caps = merged;
    }
  }
}

// Ops of one kind mostly need the same caps; share one frozen record per set
// instead of allocating one per op (a 10,000-op graph makes GC the bottleneck).
// Vertices hand out interned cap lists (caps.ts internCaps), so the list
// itself is the key.
const capsRecords = new WeakMap<readonly string[], Readonly<Record<string, boolean>>>();
function capsRecord(caps: readonly string[]): Readonly<Record<string, boolean>> {
  let r = capsRecords.get(caps);
  if (r === undefined) {
    const rec: Record<string, boolean> = {};
    for (const c of caps) rec[c] = true;
    r = Object.freeze(rec);
    capsRecords.set(caps, r);
  }
  return r;
}

/** Collects source infos (de-duplicated by content) and locations by op digest. */
class SourceMapCollector {
  readonly infos: pb.SourceInfo[] = [];
  readonly locations = new Map<string, pb.Location[]>();
  private readonly byObject = new Map<SourceInfo, number>();
  private readonly byContent = new Map<string, number>();

  indexOf(info: SourceInfo): number {
    const known = this.byObject.get(info);
    if (known !== undefined) return known;
    const p = toPbSourceInfo(info);
    const key = `${p.filename}\0${p.language}\0${Buffer.from(p.data ?? []).toString("base64")}`;
    let i = this.byContent.get(key);
    if (i === undefined) {
      i = this.infos.push(p) - 1;
      this.byContent.set(key, i);
    }
    this.byObject.set(info, i);
    return i;
  }

  add(digest: string, location: pb.Location): void {
    const list = this.locations.get(digest);
    if (list) list.push(location);
    else this.locations.set(digest, [location]);
  }

  /** Splices a foreign Source, shifting its source indexes past ours. */
  addForeign(source: pb.Source): void {
    const offset = this.infos.length;
    this.infos.push(...(source.infos ?? []));
    for (const [digest, locs] of Object.entries(source.locations ?? {})) {
      for (const l of locs.locations ?? []) this.add(digest, { ...l, sourceIndex: (l.sourceIndex ?? 0) + offset });
    }
  }

  toPb(): pb.Source | undefined {
    if (this.locations.size === 0) return undefined;
    const locations: Record<string, pb.Locations> = {};
    for (const [d, l] of this.locations) locations[d] = { locations: l };
    return { locations, infos: this.infos };
  }
}

export function marshal(state: State, options: MarshalOptions): Definition {
  const result = state.output;
  if (result === undefined) {
    throw new LlbError("EMPTY_DEFINITION", "empty Definition: the state is scratch, there is nothing to marshal (send an empty Definition for scratch)");
  }
  const supported = options.caps === undefined ? undefined : new Set(options.caps);
  const digests = new Map<Vertex, string>();
  const def: Uint8Array[] = [];
  // A plain object (not a Map) because it is the Definition's field as is.
  // Every emitted op gets an entry, so it doubles as the "already emitted" set.
  const metadata: Record<string, MutableMetadata> = {};
  const sources = new SourceMapCollector();

  const ctx: MarshalContext = {
    platform: toPbPlatform(asPlatform(options.platform)),
    input(output: Output): pb.Input {
      const v = output.vertex;
      const digest = v instanceof DefinitionVertex ? v.resultDigest : digests.get(v);
      if (digest === undefined) throw new Error("llb: input marshalled out of order");
      return { digest, index: output.index };
    },
  };

  const checkCaps = (caps: readonly string[], what: () => string): void => {
    if (!supported) return;
    for (const c of caps) {
      if (!supported.has(c)) {
        throw new LlbError("CAP_NOT_SUPPORTED", `${what()} needs the LLB cap "${c}", which this BuildKit daemon does not support or has disabled`);
      }
    }
  };

  const metaFor = (digest: string): MutableMetadata => {
    return (metadata[digest] ??= {});
  };

  const emit = (v: Vertex): void => {
    if (v instanceof DefinitionVertex) {
      // Spliced ops keep their own metadata; the foreign terminal's is dropped with it.
      for (const { digest, bytes } of v.ops) {
        if (metadata[digest] !== undefined) continue;
        metadata[digest] = { ...v.metadata[digest] } as MutableMetadata;
        def.push(bytes);
      }
      if (v.source) sources.addForeign(v.source);
      digests.set(v, v.resultDigest);
      return;
    }
    const { op, caps } = v.marshal(ctx);
    const bytes = encodeOp(op);
    const digest = digestOf(bytes);
    digests.set(v, digest);
    checkCaps(caps, () => describe(v, op));
    let md = metadata[digest];
    if (md === undefined) {
      metadata[digest] = md = {};
      def.push(bytes);
    }
    mergeMetadata(md, v.options, caps);
    const locations = v.options.sourceLocations;
    if (locations) {
      for (const loc of locations) sources.add(digest, { sourceIndex: sources.indexOf(loc.source), ranges: loc.ranges.map(toPbRange) });
    }
  };

  // Iterative post-order DFS over vertices, inputs in each op's own order. Two
  // parallel arrays instead of a frame object per vertex. No "on the stack"
  // set is needed: vertices are immutable and built from existing outputs, so
  // the graph has no cycles, and a vertex on the stack is never reached again
  // before it is emitted.
  const vertices: Vertex[] = [result.vertex];
  const next: number[] = [0];
  while (vertices.length > 0) {
    const top = vertices.length - 1;
    const v = vertices[top] as Vertex;
    const i = next[top] as number;
    const input = v.inputs[i];
    if (input !== undefined) {
      next[top] = i + 1;
      const child = input.vertex;
      if (!digests.has(child)) {
        vertices.push(child);
        next.push(0);
      }
      continue;
    }
    vertices.pop();
    next.pop();
    emit(v);
  }

  const terminal = encodeOp({ inputs: [ctx.input(result)] });
  const terminalDigest = digestOf(terminal);
  def.push(terminal);
  const termCaps: string[] = [Caps.constraints, Caps.platform];
  for (const m of Object.values(metadata)) {
    if (m.ignoreCache) termCaps.push(Caps.metaIgnoreCache);
    if (m.description) termCaps.push(Caps.metaDescription);
    if (m.exportCache) termCaps.push(Caps.metaExportCache);
  }
  const uniqueTermCaps = [...new Set(termCaps)];
  checkCaps(uniqueTermCaps, () => "the graph");
  mergeMetadata(metaFor(terminalDigest), {}, uniqueTermCaps);

  const source = sources.toPb();
  return Object.freeze({
    def: Object.freeze(def),
    metadata: Object.freeze(metadata) as Readonly<Record<string, pb.OpMetadata>>,
    ...(source ? { source } : {}),
  });
}
