// The one seam between speck and protobufjs for LLB types (proto/llb.proto).
//
// It holds the TypeScript shapes of the messages, turns protobufjs's
// reflection into plain per-message field plans (messagePlan) for the
// Go-deterministic encoder in llb/encode.ts, and decodes with protobufjs
// (int64 as bigint, so nanosecond timestamps keep their precision).
// protobufjs's own encoder is never used for LLB: it differs from Go's
// deterministic marshaling (oneof placement, explicit zeros, map order), and
// op bytes are hashed.

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
// Field plans: what the encoder needs to know about each message, in the order
// Go writes fields (non-oneof fields by number, then oneof members).

export type ScalarKind = "string" | "bytes" | "bool" | "int32" | "int64" | "uint32";

export interface FieldPlan {
  readonly id: number;
  readonly name: string;
  readonly oneof: boolean;
  readonly repeated: boolean;
  /** Scalar kind, or undefined for a message field. */
  readonly scalar: ScalarKind | undefined;
  readonly message: MessagePlan | undefined;
  readonly map: { key: ScalarKind; value: ScalarKind | undefined; valueMessage: MessagePlan | undefined } | undefined;
}

export interface MessagePlan {
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

/** The field plan of a message (cached; nested messages share plans). */
export function messagePlan(name: MessageName): MessagePlan {
  return planFor(lookup(name));
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

// Wire tags (field number << 3 | wire type) of the fields definitionCaps reads.
const DEFINITION_METADATA = (2 << 3) | 2; // Definition.metadata: map<string, OpMetadata>
const OP_METADATA_CAPS = (5 << 3) | 2; // OpMetadata.caps: map<string, bool>
const MAP_KEY = (1 << 3) | 2; // a map entry's string key
const MAP_MESSAGE_VALUE = (2 << 3) | 2; // a map entry's value, a message
const MAP_BOOL_VALUE = (2 << 3) | 0; // a map entry's value, a bool

/**
 * The caps switched on in a pb.Definition's op metadata, read straight off
 * the wire. The gateway checks them before every Solve; a full decode would
 * build every op, and the first time generate protobufjs's decoder for each
 * op type (~7 ms on every build's critical path), only to read a few map
 * keys. Truncated bytes throw protobufjs's RangeError.
 */
export function definitionCaps(bytes: Uint8Array): Set<string> {
  const caps = new Set<string>();
  for (const entry of fieldsOf(bytes, DEFINITION_METADATA)) {
    for (const metadata of fieldsOf(entry, MAP_MESSAGE_VALUE)) {
      for (const cap of fieldsOf(metadata, OP_METADATA_CAPS)) {
        const [name, on] = boolMapEntry(cap);
        if (on) caps.add(name);
      }
    }
  }
  return caps;
}

/** The payload of every length-delimited field tagged `tag` in `bytes`; other fields are skipped. */
function* fieldsOf(bytes: Uint8Array, tag: number): Generator<Uint8Array, void, void> {
  const r = protobuf.Reader.create(bytes);
  while (r.pos < r.len) {
    const t = r.uint32();
    if (t === tag) yield r.bytes();
    else r.skipType(t & 7);
  }
}

function boolMapEntry(bytes: Uint8Array): [string, boolean] {
  const r = protobuf.Reader.create(bytes);
  let key = "";
  let value = false;
  while (r.pos < r.len) {
    const t = r.uint32();
    if (t === MAP_KEY) key = r.string();
    else if (t === MAP_BOOL_VALUE) value = r.bool();
    else r.skipType(t & 7);
  }
  return [key, value];
}

export function decodeOp(bytes: Uint8Array): Op {
  return decodeMessage<Op>("Op", bytes);
}
