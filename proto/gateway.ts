// The one seam between protobufjs and the gateway runtime.
//
// The schema is the hand-written gateway.proto (+ caps, worker, stat, status,
// any), shipped as a generated JSON descriptor (gateway.descriptor.json,
// regenerated with `npx tsx proto/generate-descriptor.ts`, kept in sync by
// gateway.test.ts). A JSON import bundles into the single esbuild output and
// loads in a few milliseconds, with no .proto files to find at run time.
//
// Values cross this seam as plain typed objects: decoded messages have every
// scalar field filled with its default, absent sub-messages are `undefined`,
// int64 fields are `bigint`, bytes are `Uint8Array`.

import type { MethodDefinition, ServiceDefinition } from "@grpc/grpc-js";
import protobuf from "protobufjs";
import descriptor from "./gateway.descriptor.json" with { type: "json" };

export const GATEWAY_PACKAGE = "moby.buildkit.v1.frontend";
export const LLB_BRIDGE_SERVICE = `${GATEWAY_PACKAGE}.LLBBridge`;

export interface Any {
  type_url: string;
  value: Uint8Array;
}

export interface Status {
  code: number;
  message: string;
  details: Any[];
}

export interface APICap {
  ID: string;
  Enabled: boolean;
  Deprecated: boolean;
  DisabledReason: string;
  DisabledReasonMsg: string;
  DisabledAlternative: string;
}

export interface WorkerRecord {
  ID: string;
  Labels: Record<string, string>;
  /** Encoded pb.Platform messages (decode with llb/). */
  platforms: Uint8Array[];
}

export interface Stat {
  path: string;
  mode: number;
  uid: number;
  gid: number;
  size: bigint;
  modTime: bigint;
  linkname: string;
  devmajor: bigint;
  devminor: bigint;
  xattrs: Record<string, Uint8Array>;
}

export interface Ref {
  id: string;
  /** Encoded pb.Definition of the ref (empty when the daemon did not send it). */
  def: Uint8Array;
}

export interface Result {
  refDeprecated?: string;
  refsDeprecated?: { refs: Record<string, string> };
  ref?: Ref;
  refs?: { refs: Record<string, Ref> };
  metadata: Record<string, Uint8Array>;
  attestations: Record<string, { attestation: Attestation[] }>;
}

/** AttestationKind: 0 InToto (a file that is an in-toto predicate), 1 Bundle (a directory of statements). */
export interface Attestation {
  kind: number;
  metadata: Record<string, Uint8Array>;
  ref?: Ref;
  path: string;
  inTotoPredicateType: string;
  /** InTotoSubjectKind: 0 Self (the image), 1 Raw (name + digests given here). */
  inTotoSubjects: { kind: number; digest: string[]; name: string }[];
}

export interface CacheOptionsEntry {
  Type: string;
  Attrs: Record<string, string>;
}

export interface GatewayMessages {
  PingRequest: Record<string, never>;
  PongResponse: { FrontendAPICaps: APICap[]; LLBCaps: APICap[]; Workers: WorkerRecord[] };
  SolveRequest: {
    Definition: Uint8Array;
    Frontend: string;
    FrontendOpt: Record<string, string>;
    allowResultReturn: boolean;
    allowResultArrayRef: boolean;
    CacheImports: CacheOptionsEntry[];
    FrontendInputs: Record<string, Uint8Array>;
    Evaluate: boolean;
  };
  SolveResponse: { ref: string; result?: Result };
  ReadFileRequest: { Ref: string; FilePath: string; Range?: { Offset: bigint; Length: bigint } };
  ReadFileResponse: { Data: Uint8Array };
  ReadDirRequest: { Ref: string; DirPath: string; IncludePattern: string };
  ReadDirResponse: { entries: Stat[] };
  StatFileRequest: { Ref: string; Path: string };
  StatFileResponse: { stat?: Stat };
  EvaluateRequest: { Ref: string };
  EvaluateResponse: Record<string, never>;
  ResolveImageConfigRequest: {
    Ref: string;
    Platform: Uint8Array;
    ResolveMode: string;
    LogName: string;
    ResolverType: number;
    SessionID: string;
    StoreID: string;
  };
  ResolveImageConfigResponse: { Digest: string; Config: Uint8Array; Ref: string };
  ResolveSourceMetaRequest: { Source: Uint8Array; Platform: Uint8Array; LogName: string; ResolveMode: string };
  ResolveSourceMetaResponse: { Source: Uint8Array; Image?: { Digest: string; Config: Uint8Array } };
  ReturnRequest: { result?: Result; error?: Status };
  ReturnResponse: Record<string, never>;
  InputsRequest: Record<string, never>;
  InputsResponse: { Definitions: Record<string, Uint8Array> };
  WarnRequest: {
    digest: string;
    level: bigint;
    short: Uint8Array;
    detail: Uint8Array[];
    url: string;
    info: Uint8Array;
    ranges: Uint8Array[];
  };
  WarnResponse: Record<string, never>;
  Status: Status;
}

export type MessageName = keyof GatewayMessages;

/** What an encoder accepts: any subset of the fields, numbers allowed for int64. */
export type MessageInit<T> = T extends Uint8Array | string | boolean
  ? T
  : T extends bigint
    ? bigint | number
    : T extends number
      ? number
      : T extends readonly (infer U)[]
        ? readonly MessageInit<U>[]
        : { [K in keyof T]?: MessageInit<T[K]> | undefined };

/** The RPCs speck calls, with their request and response message names. */
export const LLB_BRIDGE_METHODS = {
  Ping: { request: "PingRequest", response: "PongResponse" },
  Solve: { request: "SolveRequest", response: "SolveResponse" },
  ReadFile: { request: "ReadFileRequest", response: "ReadFileResponse" },
  ReadDir: { request: "ReadDirRequest", response: "ReadDirResponse" },
  StatFile: { request: "StatFileRequest", response: "StatFileResponse" },
  Evaluate: { request: "EvaluateRequest", response: "EvaluateResponse" },
  ResolveImageConfig: { request: "ResolveImageConfigRequest", response: "ResolveImageConfigResponse" },
  ResolveSourceMeta: { request: "ResolveSourceMetaRequest", response: "ResolveSourceMetaResponse" },
  Return: { request: "ReturnRequest", response: "ReturnResponse" },
  Inputs: { request: "InputsRequest", response: "InputsResponse" },
  Warn: { request: "WarnRequest", response: "WarnResponse" },
} as const satisfies Record<string, { request: MessageName; response: MessageName }>;

export type LLBBridgeMethod = keyof typeof LLB_BRIDGE_METHODS;
export type RequestOf<M extends LLBBridgeMethod> = GatewayMessages[(typeof LLB_BRIDGE_METHODS)[M]["request"]];
export type ResponseOf<M extends LLBBridgeMethod> = GatewayMessages[(typeof LLB_BRIDGE_METHODS)[M]["response"]];

export function methodPath(method: LLBBridgeMethod): string {
  return `/${LLB_BRIDGE_SERVICE}/${method}`;
}

const root = protobuf.Root.fromJSON(descriptor as protobuf.INamespace);
const types = new Map<MessageName, protobuf.Type>();

function typeOf(name: MessageName): protobuf.Type {
  let t = types.get(name);
  if (!t) {
    t = root.lookupType(name === "Status" ? "google.rpc.Status" : `${GATEWAY_PACKAGE}.${name}`);
    types.set(name, t);
  }
  return t;
}

const INT64_TYPES = new Set(["int64", "uint64", "sint64", "fixed64", "sfixed64"]);

// protobufjs takes int64 as number, string or Long; bigint is turned into its
// decimal string so no precision is lost (Stat.modTime is ~1.7e18).
function bigintsToStrings(value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (value === null || typeof value !== "object" || value instanceof Uint8Array) return value;
  if (Array.isArray(value)) return value.map(bigintsToStrings);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = bigintsToStrings(v);
  return out;
}

// Turns protobufjs' toObject output into the documented shape: int64 decimal
// strings become bigint, null sub-messages are dropped.
function normalize(type: protobuf.Type, obj: Record<string, unknown>): Record<string, unknown> {
  for (const field of type.fieldsArray) {
    const v = obj[field.name];
    if (v === null || v === undefined) {
      delete obj[field.name];
      continue;
    }
    const resolved = field.resolvedType;
    const convert = (x: unknown): unknown => {
      if (INT64_TYPES.has(field.type)) return BigInt(x as string);
      if (resolved instanceof protobuf.Type) return normalize(resolved, x as Record<string, unknown>);
      return x;
    };
    if (field.map) {
      const m = v as Record<string, unknown>;
      for (const k of Object.keys(m)) m[k] = convert(m[k]);
    } else if (field.repeated) {
      obj[field.name] = (v as unknown[]).map(convert);
    } else {
      obj[field.name] = convert(v);
    }
  }
  return obj;
}

export function encodeMessage<N extends MessageName>(name: N, value: MessageInit<GatewayMessages[N]>): Uint8Array {
  const type = typeOf(name);
  return type.encode(type.fromObject(bigintsToStrings(value) as Record<string, unknown>)).finish();
}

export function decodeMessage<N extends MessageName>(name: N, bytes: Uint8Array): GatewayMessages[N] {
  const type = typeOf(name);
  const obj = type.toObject(type.decode(bytes), { longs: String, defaults: true, arrays: true, objects: true });
  return normalize(type, obj) as GatewayMessages[N];
}

/**
 * A ReturnRequest whose `error` is the given, already encoded google.rpc.Status,
 * copied byte for byte: a daemon error (with its typed details) goes back to
 * BuildKit exactly as it arrived, whatever fields it holds.
 */
export function encodeReturnRequestWithRawStatus(status: Uint8Array): Uint8Array {
  return protobuf.Writer.create()
    .uint32((2 << 3) | 2) // field 2 (error), length-delimited
    .bytes(status)
    .finish();
}

/** The grpc-js service definition of LLBBridge (what the fake server in tests implements). */
export function llbBridgeServiceDefinition(): ServiceDefinition {
  const def: Record<string, MethodDefinition<unknown, unknown>> = {};
  for (const [method, io] of Object.entries(LLB_BRIDGE_METHODS)) {
    def[method] = {
      path: methodPath(method as LLBBridgeMethod),
      requestStream: false,
      responseStream: false,
      requestSerialize: (v: unknown) => Buffer.from(encodeMessage(io.request, v as never)),
      requestDeserialize: (b: Buffer) => decodeMessage(io.request, b),
      responseSerialize: (v: unknown) => Buffer.from(encodeMessage(io.response, v as never)),
      responseDeserialize: (b: Buffer) => decodeMessage(io.response, b),
    };
  }
  return def;
}
