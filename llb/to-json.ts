// A readable, stable dump of a Definition: one object per op, in def order,
// for debugging and golden files. Keys follow the .proto field order; int64
// values are numbers when exact and decimal strings otherwise; bytes are text
// when they are valid UTF-8, else { base64 }.

import * as pb from "../proto/llb.js";
import type { Definition } from "./definition.js";
import { digestOf } from "./digest.js";
import { compareUtf8 } from "./wire-writer.js";

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface OpJSON {
  readonly digest: string;
  readonly kind: "source" | "exec" | "file" | "merge" | "diff" | "terminal" | "unknown";
  readonly inputs: readonly { digest: string; index: number | string }[];
  readonly platform?: JsonValue;
  /** The op's own message (SourceOp, ExecOp, …). */
  readonly op?: JsonValue;
  readonly metadata?: JsonValue;
  readonly source?: JsonValue;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

function plain(v: unknown): JsonValue {
  if (v === null || v === undefined) return null;
  if (typeof v === "bigint") return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
  if (v instanceof Uint8Array) {
    try {
      return utf8.decode(v);
    } catch {
      return { base64: Buffer.from(v).toString("base64") };
    }
  }
  if (Array.isArray(v)) return v.map(plain);
  if (typeof v === "object") {
    const out: { [key: string]: JsonValue } = {};
    // Decoded messages keep wire order: fields by number, map entries sorted.
    for (const [k, x] of Object.entries(v as object)) out[k] = plain(x);
    return out;
  }
  return v as JsonValue;
}

function sortedRecord<T>(r: Readonly<Record<string, T>> | undefined): [string, T][] {
  return Object.entries(r ?? {}).sort(([a], [b]) => compareUtf8(a, b));
}

/** Index fields whose zero is meaningful (output 0, input 0) are shown even though the wire omits them. */
function withIndexes(op: pb.Op): unknown {
  const z = <T extends object>(o: T, keys: readonly string[]): T => {
    const out: Record<string, unknown> = {};
    for (const k of keys) out[k] = (o as Record<string, unknown>)[k] ?? 0n;
    return Object.assign(out, o) as T;
  };
  if (op.exec) return { ...op.exec, mounts: (op.exec.mounts ?? []).map((m) => z(m, ["input", "output"])) };
  if (op.file) return { actions: (op.file.actions ?? []).map((a) => z(a, ["input", "secondaryInput", "output"])) };
  if (op.merge) return { inputs: (op.merge.inputs ?? []).map((m) => z(m, ["input"])) };
  if (op.diff) return { lower: z(op.diff.lower ?? {}, ["input"]), upper: z(op.diff.upper ?? {}, ["input"]) };
  return op.source;
}

export function toJSON(definition: Definition): OpJSON[] {
  const locations = definition.source?.locations ?? {};
  const infos = definition.source?.infos ?? [];
  return definition.def.map((bytes, i): OpJSON => {
    const digest = digestOf(bytes);
    const op = pb.decodeOp(bytes);
    const isLast = i === definition.def.length - 1;
    const kind = op.source ? "source" : op.exec ? "exec" : op.file ? "file" : op.merge ? "merge" : op.diff ? "diff" : isLast ? "terminal" : "unknown";
    const body = withIndexes(op);
    const md = definition.metadata[digest];
    const locs = locations[digest]?.locations;
    return {
      digest,
      kind,
      inputs: (op.inputs ?? []).map((x) => ({ digest: x.digest ?? "", index: plain(x.index ?? 0n) as number | string })),
      ...(op.platform ? { platform: plain(op.platform) } : {}),
      ...(body ? { op: plain(body) } : {}),
      ...(md
        ? {
            metadata: plain({
              ...md,
              ...(md.description ? { description: Object.fromEntries(sortedRecord(md.description)) } : {}),
              ...(md.caps ? { caps: sortedRecord(md.caps).map(([k]) => k) } : {}),
            }),
          }
        : {}),
      ...(locs
        ? {
            source: locs.map((l) => ({
              file: infos[l.sourceIndex ?? 0]?.filename ?? null,
              ranges: (l.ranges ?? []).map((r) => `${r.start?.line ?? 0}:${r.start?.character ?? 0}-${r.end?.line ?? 0}:${r.end?.character ?? 0}`),
            })),
          }
        : {}),
    };
  });
}
