// The one seam between speck and protobufjs for LLB types (proto/llb.proto).
//
// Encoding: ops are content-addressed, and BuildKit >= 0.18 re-encodes every op
// with Go's deterministic marshaler and re-hashes it. If our bytes differ, the
// daemon's digests differ from ours and source maps keyed by our digests stop
// pointing into the user's file. protobufjs's own encoder differs from Go
// (oneof placement, explicit zeros, map order), so this file carries a small
// encoder driven by protobufjs's reflection that follows Go's rules:
//   1. non-oneof fields in field-number order, then the set oneof member;
//   2. non-oneof scalars equal to their zero value are omitted;
//   3. a set oneof member is always written, even when zero;
//   4. a present nested message is written even when empty;
//   5. map entries sorted by the UTF-8 bytes of their key, key and value always written;
//   6. negative varints are 10-byte two's complement;
//   7. repeated numeric fields are packed.
// Decoding uses protobufjs (int64 decoded as bigint, so nanosecond timestamps
// keep their precision).

import protobuf from "protobufjs";
import descriptor from "./llb.descriptor.json" with { type: "json" };

// ---------------------------------------------------------------------------
// Message shapes. Field names are protobufjs's camelCase of the .proto names.
// int64 fields accept number or bigint when encoding and decode as bigint.

export type Int64 = bigint | number;

export const NetMode = { UNSET: 0, HOST: 1, NONE: 2 } as const;
export type NetMode = (typeof NetMode)[keyof typeof NetMode];
export const SecurityMode = { SANDBOX: 0, INSECURE: 1 } as const;
export type SecurityMode = (typeof SecurityMode)[keyof typeof SecurityMode];
export const MountType = { BIND: 0, SECRET: 1, SSH: 2, CACHE: 3, TMPFS: 4 } as const;
export type MountType = (typeof MountType)[keyof typeof MountType];
export const CacheSharingOpt = { SHARED: 0, PRIVATE: 1, LOCKED: 2 } as const;
export type CacheSharingOpt = (typeof CacheSharingOpt)[keyof typeof CacheSharingOpt];

export interface Platform {
  Architecture?: string;
  OS?: string;
  Variant?: string;
  OSVersion?: string;
  OSFeatures?: readonly string[];
}
export interface Input {
  digest?: string;
  index?: Int64;
}
export interface WorkerConstraints {
  filter?: readonly string[];
}
export interface Op {
  inputs?: readonly Input[];
  exec?: ExecOp;
  source?: SourceOp;
  file?: FileOp;
  merge?: MergeOp;
  diff?: DiffOp;
  platform?: Platform;
  constraints?: WorkerConstraints;
}
export interface SourceOp {
  identifier?: string;
  attrs?: Readonly<Record<string, string>>;
}
export interface ExecOp {
  meta?: Meta;
  mounts?: readonly Mount[];
  network?: NetMode;
  security?: SecurityMode;
  secretenv?: readonly SecretEnv[];
}
export interface Meta {
  args?: readonly string[];
  env?: readonly string[];
  cwd?: string;
  user?: string;
  proxyEnv?: ProxyEnv;
  extraHosts?: readonly HostIP[];
  hostname?: string;
  ulimit?: readonly Ulimit[];
  cgroupParent?: string;
  removeMountStubsRecursive?: boolean;
  validExitCodes?: readonly number[];
}
export interface ProxyEnv {
  httpProxy?: string;
  httpsProxy?: string;
  ftpProxy?: string;
  noProxy?: string;
  allProxy?: string;
}
export interface HostIP {
  Host?: string;
  IP?: string;
}
export interface Ulimit {
  Name?: string;
  Soft?: Int64;
  Hard?: Int64;
}
export interface SecretEnv {
  ID?: string;
  name?: string;
  optional?: boolean;
}
export interface Mount {
  input?: Int64;
  selector?: string;
  dest?: string;
  output?: Int64;
  readonly?: boolean;
  mountType?: MountType;
  TmpfsOpt?: { size?: Int64 };
  cacheOpt?: { ID?: string; sharing?: CacheSharingOpt };
  secretOpt?: SecretOpt;
  SSHOpt?: SecretOpt;
}
export interface SecretOpt {
  ID?: string;
  uid?: number;
  gid?: number;
  mode?: number;
  optional?: boolean;
}
export interface FileOp {
  actions?: readonly FileAction[];
}
export interface FileAction {
  input?: Int64;
  secondaryInput?: Int64;
  output?: Int64;
  copy?: FileActionCopy;
  mkfile?: FileActionMkFile;
  mkdir?: FileActionMkDir;
  rm?: FileActionRm;
  symlink?: FileActionSymlink;
}
export interface FileActionCopy {
  src?: string;
  dest?: string;
  owner?: ChownOpt;
  mode?: number;
  followSymlink?: boolean;
  dirCopyContents?: boolean;
  attemptUnpackDockerCompatibility?: boolean;
  createDestPath?: boolean;
  allowWildcard?: boolean;
  allowEmptyWildcard?: boolean;
  timestamp?: Int64;
  includePatterns?: readonly string[];
  excludePatterns?: readonly string[];
  alwaysReplaceExistingDestPaths?: boolean;
  modeStr?: string;
}
export interface FileActionMkFile {
  path?: string;
  mode?: number;
  data?: Uint8Array;
  owner?: ChownOpt;
  timestamp?: Int64;
}
export interface FileActionMkDir {
  path?: string;
  mode?: number;
  makeParents?: boolean;
  owner?: ChownOpt;
  timestamp?: Int64;
}
export interface FileActionRm {
  path?: string;
  allowNotFound?: boolean;
  allowWildcard?: boolean;
}
export interface FileActionSymlink {
  oldpath?: string;
  newpath?: string;
  owner?: ChownOpt;
  timestamp?: Int64;
}
export interface ChownOpt {
  user?: UserOpt;
  group?: UserOpt;
}
export interface UserOpt {
  byName?: { name?: string; input?: Int64 };
  byID?: number;
}
export interface MergeOp {
  inputs?: readonly { input?: Int64 }[];
}
export interface DiffOp {
  lower?: { input?: Int64 };
  upper?: { input?: Int64 };
}
export interface ProgressGroup {
  id?: string;
  name?: string;
  weak?: boolean;
}
export interface OpMetadata {
  ignoreCache?: boolean;
  description?: Readonly<Record<string, string>>;
  exportCache?: { Value?: boolean };
  caps?: Readonly<Record<string, boolean>>;
  progressGroup?: ProgressGroup;
}
export interface Position {
  line?: number;
  character?: number;
}
export interface Range {
  start?: Position;
  end?: Position;
}
export interface Location {
  sourceIndex?: number;
  ranges?: readonly Range[];
}
export interface Locations {
  locations?: readonly Location[];
}
export interface SourceInfo {
  filename?: string;
  data?: Uint8Array;
  definition?: Definition;
  language?: string;
}
export interface Source {
  locations?: Readonly<Record<string, Locations>>;
  infos?: readonly SourceInfo[];
}
export interface Definition {
  def?: readonly Uint8Array[];
  metadata?: Readonly<Record<string, OpMetadata>>;
  Source?: Source;
}

/** Names of the messages this file can encode and decode. */
export type MessageName =
  | "Op"
  | "Definition"
  | "Platform"
  | "SourceInfo"
  | "Range"
  | "SourceOp"
  | "OpMetadata"
  | "Location"
  | "ExecOp"
  | "FileOp";

// ---------------------------------------------------------------------------
// Schema loading: from the JSON descriptor generated from llb.proto
// (proto/generate-descriptor.ts), so the bundle needs no file next to it.

const root: protobuf.Root = protobuf.Root.fromJSON(descriptor as protobuf.INamespace);
root.resolveAll();

const types = new Map<string, protobuf.Type>();

function lookup(name: string): protobuf.Type {
  let t = types.get(name);
  if (!t) types.set(name, (t = root.lookupType(`pb.${name}`)));
  return t;
}

// ---------------------------------------------------------------------------
// Deterministic encoder.

/** Orders strings by their UTF-8 bytes (= code points), as Go's string compare does. */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // UTF-16 order differs from code-point order only when one side is a
    // surrogate (U+10000 and up) and the other is in U+E000..U+FFFF.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

const MAX_SAFE_BIG = BigInt(Number.MAX_SAFE_INTEGER);
const SLAB_SIZE = 64 * 1024;
const SLAB_MAX_PIECE = 4 * 1024;

/** A growable protobuf wire writer (Buffer-backed for fast UTF-8 writes). */
class Writer {
  private buf: Buffer = Buffer.allocUnsafe(1024);
  private pos = 0;

  reset(): void {
    this.pos = 0;
  }

  /**
   * A copy of what was written. Small results are carved out of a shared
   * 64 KiB slab: a 10,000-op graph would otherwise allocate 10,000
   * ArrayBuffers, and their bookkeeping dominates garbage collection.
   */
  finish(): Uint8Array {
    const n = this.pos;
    if (n > SLAB_MAX_PIECE) return new Uint8Array(this.buf.subarray(0, n));
    if (this.slabUsed + n > this.slab.length) {
      this.slab = new Uint8Array(SLAB_SIZE);
      this.slabUsed = 0;
    }
    const out = this.slab.subarray(this.slabUsed, this.slabUsed + n);
    out.set(this.buf.subarray(0, n));
    // Keep views 8-byte aligned so DataView/typed-array reads on them stay cheap.
    this.slabUsed += (n + 7) & ~7;
    return out;
  }

  private slab = new Uint8Array(SLAB_SIZE);
  private slabUsed = 0;

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  tag(id: number, wire: number): void {
    this.varint(id * 8 + wire);
  }

  /** Non-negative integers up to 2^53. */
  varint(n: number): void {
    this.ensure(10);
    const buf = this.buf;
    let pos = this.pos;
    while (n > 127) {
      buf[pos++] = (n & 127) | 128;
      n = Math.floor(n / 128);
    }
    buf[pos++] = n;
    this.pos = pos;
  }

  /** int32/int64/enum: negatives as 10-byte two's complement, like Go. */
  int64(v: Int64): void {
    if (typeof v === "number") {
      if (v >= 0 && v <= Number.MAX_SAFE_INTEGER && Number.isInteger(v)) return this.varint(v);
      if (!Number.isSafeInteger(v)) throw new RangeError(`not a safe integer: ${v}`);
      // Split into 32-bit halves without BigInt (hot path: -1 is everywhere in LLB).
      const hi = Math.floor(v / 4294967296);
      return this.varint64(v - hi * 4294967296, hi >>> 0);
    }
    if (v >= 0n && v <= MAX_SAFE_BIG) return this.varint(Number(v));
    const u = BigInt.asUintN(64, v);
    this.varint64(Number(u & 0xffffffffn), Number(u >> 32n));
  }

  /** A 64-bit varint from unsigned 32-bit halves. */
  private varint64(lo: number, hi: number): void {
    this.ensure(10);
    const buf = this.buf;
    let pos = this.pos;
    while (hi > 0 || lo > 127) {
      buf[pos++] = (lo & 127) | 128;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    buf[pos++] = lo;
    this.pos = pos;
  }

  string(s: string): void {
    const n = s.length;
    if (n < 128) {
      // Short ASCII strings (nearly all LLB strings) skip the native UTF-8 calls.
      this.ensure(n + 1);
      const buf = this.buf;
      const start = this.pos + 1;
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        buf[start + i] = c;
      }
      if (i === n) {
        buf[this.pos] = n;
        this.pos = start + n;
        return;
      }
    }
    const len = Buffer.byteLength(s, "utf8");
    this.varint(len);
    this.ensure(len);
    this.pos += this.buf.write(s, this.pos, "utf8");
  }

  bytes(b: Uint8Array): void {
    this.varint(b.length);
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** Reserves one byte for a length prefix; endLength widens it if needed. */
  beginLength(): number {
    this.ensure(1);
    return this.pos++;
  }

  endLength(at: number): void {
    const len = this.pos - at - 1;
    let size = 1;
    for (let v = len; v > 127; v = Math.floor(v / 128)) size++;
    if (size > 1) {
      this.ensure(size - 1);
      this.buf.copyWithin(at + size, at + 1, this.pos);
      this.pos += size - 1;
    }
    let p = at;
    let v = len;
    while (v > 127) {
      this.buf[p++] = (v & 127) | 128;
      v = Math.floor(v / 128);
    }
    this.buf[p] = v;
  }
}

type ScalarKind = "string" | "bytes" | "bool" | "int32" | "int64" | "uint32";

interface FieldPlan {
  readonly id: number;
  readonly name: string;
  readonly oneof: boolean;
  readonly repeated: boolean;
  /** Scalar kind, or undefined for a message field. */
  readonly scalar: ScalarKind | undefined;
  readonly message: MessagePlan | undefined;
  readonly map: { key: ScalarKind; value: ScalarKind | undefined; valueMessage: MessagePlan | undefined } | undefined;
}

interface MessagePlan {
  readonly name: string;
  fields: FieldPlan[];
}

const plans = new Map<protobuf.Type, MessagePlan>();

function scalarKind(type: string, resolved: protobuf.ReflectionObject | null): ScalarKind | undefined {
  if (resolved instanceof protobuf.Enum) return "int32";
  switch (type) {
    case "string":
    case "bytes":
    case "bool":
    case "int32":
    case "int64":
    case "uint32":
      return type;
    default:
      if (resolved instanceof protobuf.Type) return undefined;
      throw new Error(`proto/llb.ts: unsupported field type ${type}`);
  }
}

function planFor(type: protobuf.Type): MessagePlan {
  const cached = plans.get(type);
  if (cached) return cached;
  const plan: MessagePlan = { name: type.name, fields: [] };
  plans.set(type, plan); // before recursing: messages may nest each other
  const fields = type.fieldsArray.slice().sort((a, b) => {
    const ao = a.partOf ? 1 : 0;
    const bo = b.partOf ? 1 : 0;
    return ao - bo || a.id - b.id;
  });
  plan.fields = fields.map((f): FieldPlan => {
    f.resolve();
    if (f instanceof protobuf.MapField) {
      const valueType = f.resolvedType;
      return {
        id: f.id,
        name: f.name,
        oneof: false,
        repeated: false,
        scalar: undefined,
        message: undefined,
        map: {
          key: scalarKind(f.keyType, null) ?? "string",
          value: scalarKind(f.type, valueType),
          valueMessage: valueType instanceof protobuf.Type ? planFor(valueType) : undefined,
        },
      };
    }
    const scalar = scalarKind(f.type, f.resolvedType);
    return {
      id: f.id,
      name: f.name,
      oneof: f.partOf !== null,
      repeated: f.repeated,
      scalar,
      message: scalar === undefined ? planFor(f.resolvedType as protobuf.Type) : undefined,
      map: undefined,
    };
  });
  return plan;
}

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

function writeMessage(w: Writer, plan: MessagePlan, msg: Readonly<Record<string, unknown>>): void {
  let oneofSeen: string | undefined;
  for (const f of plan.fields) {
    const v = msg[f.name];
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

/** Encodes a pb message exactly as Go's `proto.MarshalOptions{Deterministic: true}` does. */
export function encodeMessage(name: MessageName, msg: object): Uint8Array {
  const plan = planFor(lookup(name));
  sharedWriter.reset();
  writeMessage(sharedWriter, plan, msg as Record<string, unknown>);
  return sharedWriter.finish();
}

export function encodeOp(op: Op): Uint8Array {
  return encodeMessage("Op", op);
}

// ---------------------------------------------------------------------------
// Decoding (protobufjs).

const decodeOptions: protobuf.IConversionOptions = {
  longs: BigInt,
  enums: Number,
  defaults: false,
  arrays: false,
  objects: false,
  oneofs: false,
};

/** Decodes bytes into the plain shape above; int64 fields become bigint, bytes Uint8Array. */
export function decodeMessage<T>(name: MessageName, bytes: Uint8Array): T {
  const type = lookup(name);
  const decoded = type.decode(bytes);
  return type.toObject(decoded, decodeOptions) as T;
}

export function decodeOp(bytes: Uint8Array): Op {
  return decodeMessage<Op>("Op", bytes);
}
