// The API a build function gets: options, caps, and the daemon's operations.
// Mirrors BuildKit's Go gateway client (frontend/gateway/grpcclient) with
// camelCase names.

import type { CacheOptionsEntry, Result, Stat, WarnRequestInit } from "./client-types.js";
import type { SourceSpan } from "../errors.js";
import { Bridge } from "./bridge.js";
import { CapSet } from "./caps.js";
import type { PbCodec, SourceInfoInit } from "./codec.js";
import { BuildOptions, type ResolveMode } from "./options.js";
import type { Platform } from "./platforms.js";
import type { WorkerInfo } from "./workers.js";

/** A solved result on the daemon. Valid for this frontend run only. */
export interface Reference {
  readonly id: string;
  /** Encoded pb.Definition of the result (when the daemon sent it): splice it into new LLB with llb/. */
  readonly def: Uint8Array;
}

export interface SolveResult {
  /** The single result; undefined for an empty filesystem (scratch) or a platform-keyed result. */
  readonly ref: Reference | undefined;
  /** Platform-keyed results (when the daemon answered with a map). */
  readonly refs: ReadonlyMap<string, Reference | undefined>;
  readonly metadata: ReadonlyMap<string, Uint8Array>;
}

export interface SolveRequest {
  /** Encoded pb.Definition (llb/ marshals it). */
  readonly definition: Uint8Array;
  /** Run it now, so errors surface here rather than at export. */
  readonly evaluate?: boolean;
}

export interface ImageConfigResult {
  /** The reference as resolved (a source policy may rewrite it). */
  readonly ref: string;
  readonly digest: string;
  /** The image config JSON. */
  readonly config: Uint8Array;
}

export interface ResolveImageConfigOptions {
  readonly platform?: Platform;
  readonly resolveMode?: ResolveMode;
  /** Progress line shown while resolving, e.g. `[internal] load metadata for docker.io/library/alpine:latest`. */
  readonly logName?: string;
}

export interface Warning {
  /** Digest of the vertex to attach the warning to (e.g. the op that loaded the build file). */
  readonly digest: string;
  readonly short: string;
  readonly level?: number;
  readonly detail?: readonly string[];
  readonly url?: string;
  readonly info?: SourceInfoInit;
  readonly ranges?: readonly SourceSpan[];
}

export class GatewayClient {
  readonly caps: CapSet;
  readonly llbCaps: CapSet;

  constructor(
    private readonly bridge: Bridge,
    private readonly codec: PbCodec,
    readonly options: BuildOptions,
    readonly workers: readonly WorkerInfo[],
    caps: { readonly gateway: CapSet; readonly llb: CapSet },
  ) {
    this.caps = caps.gateway;
    this.llbCaps = caps.llb;
  }

  get sessionId(): string {
    return this.options.sessionId;
  }

  /** Throws a CapabilityError naming the gateway cap and the minimum version, unless the daemon supports it. */
  requireCap(id: string, feature: string): void {
    this.caps.require(id, feature);
  }

  async solve(req: SolveRequest): Promise<SolveResult> {
    for (const cap of this.codec.definitionCaps?.(req.definition) ?? []) this.llbCaps.require(cap, "this build");
    const cacheImports: CacheOptionsEntry[] = this.options.cacheImports;
    const frontendOpt: Record<string, string> = {};
    for (const key of ["cache-imports", "cache-from"]) {
      const v = this.options.get(key);
      if (v !== undefined) frontendOpt[key] = v;
    }
    const nativeEvaluate = req.evaluate === true && this.caps.supports("gateway.solve.evaluate");
    const resp = await this.bridge.call("Solve", {
      Definition: req.definition,
      FrontendOpt: frontendOpt,
      allowResultReturn: true,
      allowResultArrayRef: true,
      CacheImports: cacheImports,
      Evaluate: nativeEvaluate,
    });
    const result = toSolveResult(resp.result, resp.ref);
    if (req.evaluate === true && !nativeEvaluate) {
      // Older daemons: reading anything from a ref forces it to be built.
      for (const ref of [result.ref, ...result.refs.values()]) if (ref) await this.statFile(ref, ".");
    }
    return result;
  }

  /** Reads a file (or `range` of it) from a solved result. */
  async readFile(ref: Reference | undefined, path: string, range?: { readonly offset: number; readonly length: number }): Promise<Uint8Array> {
    const resp = await this.bridge.call("ReadFile", {
      Ref: refId(ref, `read ${path}`),
      FilePath: path,
      ...(range ? { Range: { Offset: range.offset, Length: range.length } } : {}),
    });
    return resp.Data;
  }

  async readDir(ref: Reference | undefined, path: string, includePattern?: string): Promise<Stat[]> {
    this.caps.require("readdir", "reading a directory");
    const resp = await this.bridge.call("ReadDir", { Ref: refId(ref, `list ${path}`), DirPath: path, IncludePattern: includePattern ?? "" });
    return resp.entries;
  }

  async statFile(ref: Reference | undefined, path: string): Promise<Stat> {
    this.caps.require("statfile", "reading file metadata");
    const resp = await this.bridge.call("StatFile", { Ref: refId(ref, `stat ${path}`), Path: path });
    if (!resp.stat) throw new Error(`StatFile ${path}: the daemon returned no metadata`);
    return resp.stat;
  }

  /** Builds a solved ref now, so its errors surface here (cap gateway.evaluate, v0.11+). */
  async evaluate(ref: Reference | undefined): Promise<void> {
    this.caps.require("gateway.evaluate", "evaluating a result");
    await this.bridge.call("Evaluate", { Ref: refId(ref, "evaluate") });
  }

  /**
   * Resolves an image reference to its digest and config, through
   * ResolveSourceMeta when the daemon has it (v0.13+), else ResolveImageConfig.
   */
  async resolveImageConfig(ref: string, opts: ResolveImageConfigOptions = {}): Promise<ImageConfigResult> {
    const platform = opts.platform ? this.codec.encodePlatform(opts.platform) : new Uint8Array();
    const resolveMode = opts.resolveMode ?? "default";
    const logName = opts.logName ?? "";
    if (this.caps.supports("source.metaresolver")) {
      const resp = await this.bridge.call("ResolveSourceMeta", {
        Source: this.codec.encodeSourceOp({ identifier: `docker-image://${ref}` }),
        Platform: platform,
        LogName: logName,
        ResolveMode: resolveMode,
      });
      const resolved = resp.Source.length > 0 ? this.codec.decodeSourceOp(resp.Source).identifier : `docker-image://${ref}`;
      if (!resp.Image || !resolved.startsWith("docker-image://")) {
        throw new Error(`resolving ${ref}: a source policy turned it into a non-image source (${resolved})`);
      }
      return { ref: resolved.slice("docker-image://".length), digest: resp.Image.Digest, config: resp.Image.Config };
    }
    this.caps.require("resolveimage", "resolving an image");
    const resp = await this.bridge.call("ResolveImageConfig", { Ref: ref, Platform: platform, ResolveMode: resolveMode, LogName: logName });
    return { ref: resp.Ref || ref, digest: resp.Digest, config: resp.Config };
  }

  /** The LLB inputs the caller passed (named contexts, remote contexts prepared by buildx), as encoded Definitions. */
  async inputs(): Promise<ReadonlyMap<string, Uint8Array>> {
    this.caps.require("frontend.inputs", "reading build inputs (--build-context with LLB states)");
    const resp = await this.bridge.call("Inputs", {});
    return new Map(Object.entries(resp.Definitions));
  }

  /** Sends a build warning; returns false (and sends nothing) when the daemon has no `gateway.warnings`. */
  async warn(w: Warning): Promise<boolean> {
    if (!this.caps.supports("gateway.warnings")) return false;
    const req: WarnRequestInit = {
      digest: w.digest,
      level: w.level ?? 1,
      short: Buffer.from(w.short),
      detail: (w.detail ?? []).map((d) => Buffer.from(d)),
      url: w.url ?? "",
      ranges: (w.ranges ?? []).map((r) => this.codec.encodeRange(r)),
      ...(w.info ? { info: this.codec.encodeSourceInfo(w.info) } : {}),
    };
    await this.bridge.call("Warn", req);
    return true;
  }
}

function refId(ref: Reference | undefined, what: string): string {
  if (!ref || ref.id === "") throw new Error(`cannot ${what}: the result is an empty filesystem (scratch)`);
  return ref.id;
}

function toRef(r: { id: string; def: Uint8Array } | string): Reference | undefined {
  if (typeof r === "string") return r === "" ? undefined : { id: r, def: new Uint8Array() };
  return r.id === "" ? undefined : { id: r.id, def: r.def };
}

function toSolveResult(result: Result | undefined, legacyRef: string): SolveResult {
  const refs = new Map<string, Reference | undefined>();
  if (!result) return { ref: toRef(legacyRef), refs, metadata: new Map() };
  let ref: Reference | undefined;
  if (result.ref) ref = toRef(result.ref);
  else if (result.refDeprecated !== undefined) ref = toRef(result.refDeprecated);
  for (const [k, v] of Object.entries(result.refs?.refs ?? {})) refs.set(k, toRef(v));
  for (const [k, v] of Object.entries(result.refsDeprecated?.refs ?? {})) refs.set(k, toRef(v));
  return { ref, refs, metadata: new Map(Object.entries(result.metadata)) };
}
