// The Go-deterministic protobuf encoder for LLB messages.
//
// Ops are content-addressed, and BuildKit >= 0.18 re-encodes every op with Go's
// deterministic marshaler and re-hashes it. If our bytes differed, the daemon's
// digests would differ from ours and source maps keyed by our digests would
// stop pointing into the user's file. The rules (reference 3.2):
//   1. non-oneof fields in field-number order, then the set oneof member;
//   2. non-oneof scalars equal to their zero value are omitted;
//   3. a set oneof member is always written, even when zero;
//   4. a present nested message is written even when empty;
//   5. map entries sorted by the UTF-8 bytes of their key, key and value always written;
//   6. negative varints are 10-byte two's complement;
//   7. repeated numeric fields are packed.
// One mechanism driven by the field plans of proto/llb.ts covers every message.

import { messagePlan, type FieldPlan, type Int64, type MessageName, type MessagePlan, type Op, type ScalarKind } from "../proto/llb.js";
import { Writer, compareUtf8 } from "./wire-writer.js";

function isZero(kind: ScalarKind, v: unknown): boolean {
  switch (kind) {
    case "string":
      return v === "";
    case "bytes":
      return (v as Uint8Array).length === 0;
    case "bool":
      return v === false;
    default:
      return v === 0 || v === 0n;
  }
}

const WIRE_VARINT = 0;
const WIRE_LEN = 2;

function writeScalar(w: Writer, kind: ScalarKind, v: unknown): void {
  switch (kind) {
    case "string":
      w.string(v as string);
      return;
    case "bytes":
      w.bytes(v as Uint8Array);
      return;
    case "bool":
      w.varint(v ? 1 : 0);
      return;
    case "uint32":
      w.varint((v as number) >>> 0);
      return;
    default:
      w.int64(v as Int64);
  }
}

function wireOf(kind: ScalarKind): number {
  return kind === "string" || kind === "bytes" ? WIRE_LEN : WIRE_VARINT;
}

// Frozen maps (e.g. caps records shared by many ops) are sorted once.
const sortedFrozen = new WeakMap<object, [string, unknown][]>();

function mapEntries(v: unknown): [string, unknown][] {
  const frozen = Object.isFrozen(v);
  if (frozen) {
    const cached = sortedFrozen.get(v as object);
    if (cached) return cached;
  }
  const entries = v instanceof Map ? [...(v as Map<string, unknown>)] : Object.entries(v as object);
  if (entries.length > 1) entries.sort((a, b) => compareUtf8(a[0], b[0]));
  if (frozen) sortedFrozen.set(v as object, entries);
  return entries;
}

type Getter = (msg: Readonly<Record<string, unknown>>) => unknown;
const getters = new Map<MessagePlan, readonly Getter[]>();

/**
 * One tiny accessor per field (`m => m.args`). Reading `msg[f.name]` in the
 * loop below is a megamorphic keyed load across ~40 message shapes and was the
 * encoder's main cost; a named load per field only ever sees one message type.
 * Field names come from our own .proto and are checked to be identifiers.
 */
function gettersOf(plan: MessagePlan): readonly Getter[] {
  let list = getters.get(plan);
  if (list === undefined) {
    list = plan.fields.map((f) => {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(f.name)) throw new Error(`pb.${plan.name}: unexpected field name ${f.name}`);
      return new Function("m", `return m.${f.name};`) as Getter;
    });
    getters.set(plan, list);
  }
  return list;
}

function writeMessage(w: Writer, plan: MessagePlan, msg: Readonly<Record<string, unknown>>): void {
  let oneofSeen: string | undefined;
  const get = gettersOf(plan);
  const fields = plan.fields;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i] as FieldPlan;
    const v = (get[i] as Getter)(msg);
    if (v === undefined || v === null) continue;
    if (f.map) {
      const entries = mapEntries(v);
      for (const [k, val] of entries) {
        w.tag(f.id, WIRE_LEN);
        const at = w.beginLength();
        w.tag(1, wireOf(f.map.key));
        writeScalar(w, f.map.key, k);
        if (f.map.valueMessage) {
          w.tag(2, WIRE_LEN);
          const inner = w.beginLength();
          writeMessage(w, f.map.valueMessage, val as Record<string, unknown>);
          w.endLength(inner);
        } else if (f.map.value) {
          w.tag(2, wireOf(f.map.value));
          writeScalar(w, f.map.value, val);
        }
        w.endLength(at);
      }
      continue;
    }
    if (f.oneof) {
      if (oneofSeen !== undefined) {
        throw new Error(`pb.${plan.name}: oneof members ${oneofSeen} and ${f.name} are both set`);
      }
      oneofSeen = f.name;
    }
    if (f.repeated) {
      const list = v as readonly unknown[];
      if (list.length === 0) continue;
      if (f.message) {
        for (const item of list) {
          w.tag(f.id, WIRE_LEN);
          const at = w.beginLength();
          writeMessage(w, f.message, item as Record<string, unknown>);
          w.endLength(at);
        }
      } else if (f.scalar === "string" || f.scalar === "bytes") {
        for (const item of list) {
          w.tag(f.id, WIRE_LEN);
          writeScalar(w, f.scalar, item);
        }
      } else if (f.scalar) {
        // Packed, as proto3 does for every repeated numeric field.
        w.tag(f.id, WIRE_LEN);
        const at = w.beginLength();
        for (const item of list) writeScalar(w, f.scalar, item);
        w.endLength(at);
      }
      continue;
    }
    if (f.message) {
      w.tag(f.id, WIRE_LEN);
      const at = w.beginLength();
      writeMessage(w, f.message, v as Record<string, unknown>);
      w.endLength(at);
      continue;
    }
    const kind = f.scalar as ScalarKind;
    if (!f.oneof && isZero(kind, v)) continue;
    w.tag(f.id, wireOf(kind));
    writeScalar(w, kind, v);
  }
}

const sharedWriter = new Writer();

function encode(name: MessageName, msg: object, pooled: boolean): Uint8Array {
  sharedWriter.reset();
  writeMessage(sharedWriter, messagePlan(name), msg as Record<string, unknown>);
  const out = sharedWriter.finish(pooled);
  sharedWriter.reset();
  return out;
}

/** Encodes a pb message exactly as Go's `proto.MarshalOptions{Deterministic: true}` does; the result owns its buffer. */
export function encodeMessage(name: MessageName, msg: object): Uint8Array {
  return encode(name, msg, false);
}

/** Encodes an Op; the bytes may be a view into a shared slab (marshal's hot path). */
export function encodeOp(op: Op): Uint8Array {
  return encode("Op", op, true);
}
