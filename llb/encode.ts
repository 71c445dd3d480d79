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
//
// The field plans of proto/llb.ts are compiled, once per message type, into a
// straight-line function (as protobufjs and Go's generated code do): a graph
// encodes ~100,000 messages, and walking the plan generically per message
// (a loop, a switch per field kind, a call per field read) cost more than the
// writing itself.

import { messagePlan, type FieldPlan, type MessageName, type MessagePlan, type Op, type ScalarKind } from "../proto/llb.js";
import { Writer, compareUtf8 } from "./wire-writer.js";

type Encode = (w: Writer, msg: unknown) => void;
/** Filled in after compiling, so messages that nest each other can refer to each other. */
interface Compiled {
  encode: Encode;
}

const WIRE_VARINT = 0;
const WIRE_LEN = 2;

function wireOf(kind: ScalarKind): number {
  return kind === "string" || kind === "bytes" ? WIRE_LEN : WIRE_VARINT;
}

/** Source of a statement writing a field's tag (one byte for field numbers below 16). */
function tagCode(id: number, wire: number): string {
  const t = id * 8 + wire;
  return t < 128 ? `w.byte(${t});` : `w.varint(${t});`;
}

/** Source of an expression writing scalar `v` of `kind`. */
function scalarCode(kind: ScalarKind, v: string): string {
  switch (kind) {
    case "string":
      return `w.string(${v})`;
    case "bytes":
      return `w.bytes(${v})`;
    case "bool":
      return `w.varint(${v} ? 1 : 0)`;
    case "uint32":
      return `w.varint(${v} >>> 0)`;
    default:
      return `w.int64(${v})`;
  }
}

/** Source of a condition that is true when scalar `v` is not its zero value. */
function nonZeroCode(kind: ScalarKind, v: string): string {
  switch (kind) {
    case "string":
      return `${v} !== ""`;
    case "bytes":
      return `${v}.length !== 0`;
    case "bool":
      return `${v} !== false`;
    default:
      return `${v} !== 0 && ${v} !== 0n`;
  }
}

function writeScalar(w: Writer, kind: ScalarKind, v: unknown): void {
  switch (kind) {
    case "string":
      return w.string(v as string);
    case "bytes":
      return w.bytes(v as Uint8Array);
    case "bool":
      return w.varint(v ? 1 : 0);
    case "uint32":
      return w.varint((v as number) >>> 0);
    default:
      return w.int64(v as number | bigint);
  }
}

/** Sorts map entries by the UTF-8 bytes of their keys, in place. */
function sortByKey(entries: [string, unknown][]): void {
  if (entries.length < 2) return;
  // UTF-16 order equals UTF-8 byte order unless a surrogate is involved; keys
  // (digests, cap names, attrs) practically never hold one, and the native
  // comparison is several times cheaper than compareUtf8 on a 10,000-key map.
  if (entries.some((e) => SURROGATE.test(e[0]))) {
    entries.sort((a, b) => compareUtf8(a[0], b[0]));
  } else {
    entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }
}
const SURROGATE = /[\uD800-\uDFFF]/;

// Frozen maps (e.g. caps records shared by many ops) are sorted once.
const sortedFrozen = new WeakMap<object, [string, unknown][]>();

function mapEntries(v: object, frozen: boolean): [string, unknown][] {
  if (frozen) {
    const cached = sortedFrozen.get(v);
    if (cached) return cached;
  }
  const entries = v instanceof Map ? [...(v as Map<string, unknown>)] : Object.entries(v);
  sortByKey(entries);
  if (frozen) sortedFrozen.set(v, entries);
  return entries;
}

/** The writer of one map field: all its entries, sorted, each a nested message. */
function mapWriter(f: FieldPlan, map: NonNullable<FieldPlan["map"]>): Encode {
  const keyTag = 8 + wireOf(map.key);
  const valueMessage = map.valueMessage ? compile(map.valueMessage) : undefined;
  const valueKind = map.value;
  const writeEntries = (w: Writer, entries: [string, unknown][]): void => {
    for (let i = 0; i < entries.length; i++) {
      const [k, val] = entries[i] as [string, unknown];
      w.tag(f.id, WIRE_LEN);
      const at = w.beginLength();
      w.byte(keyTag);
      writeScalar(w, map.key, k);
      if (valueMessage) {
        w.byte(2 * 8 + WIRE_LEN);
        const inner = w.beginLength();
        valueMessage.encode(w, val);
        w.endLength(inner);
      } else if (valueKind) {
        w.byte(2 * 8 + wireOf(valueKind));
        writeScalar(w, valueKind, val);
      }
      w.endLength(at);
    }
  };
  if (valueMessage) {
    return (w, v) => writeEntries(w, mapEntries(v as object, Object.isFrozen(v)));
  }
  // A frozen map of scalars cannot change, so its bytes are cached too: the
  // caps record shared by thousands of ops' metadata is then written by one copy.
  const bytesOfFrozen = new WeakMap<object, Uint8Array>();
  return (w, v) => {
    if (!Object.isFrozen(v)) return writeEntries(w, mapEntries(v as object, false));
    const cached = bytesOfFrozen.get(v as object);
    if (cached) return w.raw(cached);
    const start = w.mark();
    writeEntries(w, mapEntries(v as object, true));
    bytesOfFrozen.set(v as object, w.since(start));
  };
}

function oneofError(plan: string, first: string, second: string): Error {
  return new Error(`pb.${plan}: oneof members ${first} and ${second} are both set`);
}

const compiled = new Map<MessagePlan, Compiled>();

function compile(plan: MessagePlan): Compiled {
  const known = compiled.get(plan);
  if (known) return known;
  const self: Compiled = {
    encode: () => {
      throw new Error(`pb.${plan.name}: encoder used while being compiled`);
    },
  };
  compiled.set(plan, self); // before recursing: messages may nest each other
  const deps: unknown[] = [];
  const dep = (x: unknown): string => `d[${deps.push(x) - 1}]`;
  const body: string[] = [];
  const hasOneof = plan.fields.some((f) => f.oneof);
  if (hasOneof) body.push("let oneof;");
  body.push("let v, at;");
  for (const f of plan.fields) {
    // Field names come from our own .proto; anything else must not reach generated code.
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(f.name)) throw new Error(`pb.${plan.name}: unexpected field name ${f.name}`);
    body.push(`v = m.${f.name};`, "if (v !== undefined && v !== null) {");
    if (f.map) {
      body.push(`${dep(mapWriter(f, f.map))}(w, v);`);
    } else {
      if (f.oneof) {
        body.push(`if (oneof !== undefined) throw ${dep(oneofError)}(${JSON.stringify(plan.name)}, oneof, ${JSON.stringify(f.name)});`);
        body.push(`oneof = ${JSON.stringify(f.name)};`);
      }
      const tag = tagCode(f.id, f.message || f.repeated ? WIRE_LEN : wireOf(f.scalar as ScalarKind));
      const nested = f.message ? `${dep(compile(f.message))}.encode` : "";
      if (f.repeated && f.message) {
        body.push(`for (let i = 0; i < v.length; i++) { ${tag} at = w.beginLength(); ${nested}(w, v[i]); w.endLength(at); }`);
      } else if (f.repeated && (f.scalar === "string" || f.scalar === "bytes")) {
        body.push(`for (let i = 0; i < v.length; i++) { ${tag} ${scalarCode(f.scalar, "v[i]")}; }`);
      } else if (f.repeated) {
        // Packed, as proto3 does for every repeated numeric field.
        body.push(`if (v.length !== 0) { ${tag} at = w.beginLength(); for (let i = 0; i < v.length; i++) ${scalarCode(f.scalar as ScalarKind, "v[i]")}; w.endLength(at); }`);
      } else if (f.message) {
        body.push(`${tag} at = w.beginLength(); ${nested}(w, v); w.endLength(at);`);
      } else {
        const kind = f.scalar as ScalarKind;
        const write = `${tag} ${scalarCode(kind, "v")};`;
        body.push(f.oneof ? write : `if (${nonZeroCode(kind, "v")}) { ${write} }`);
      }
    }
    body.push("}");
  }
  const name = `encode${plan.name.replace(/[^A-Za-z0-9_]/g, "_")}`;
  const source = `return function ${name}(w, m) {\n${body.join("\n")}\n};`;
  self.encode = new Function("d", source)(deps) as Encode;
  return self;
}

const sharedWriter = new Writer();

function encode(name: MessageName, msg: object, pooled: boolean, sizeHint: number): Uint8Array {
  sharedWriter.begin(pooled, sizeHint);
  compile(messagePlan(name)).encode(sharedWriter, msg);
  return sharedWriter.finish(pooled);
}

/**
 * Encodes a pb message exactly as Go's `proto.MarshalOptions{Deterministic: true}` does; the result owns its buffer.
 * `sizeHint`: the expected size in bytes, so a big message is written without regrowing the buffer.
 */
export function encodeMessage(name: MessageName, msg: object, sizeHint = 0): Uint8Array {
  return encode(name, msg, false, sizeHint);
}

/** Encodes an Op; the bytes may be a view into a shared slab (marshal's hot path). */
export function encodeOp(op: Op): Uint8Array {
  return encode("Op", op, true, 0);
}
