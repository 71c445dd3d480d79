// Shapes what the frontend returns, as BuildKit's dockerui ResultBuilder does:
// one platform → `ref` + `containerimage.config`; several (or multi-platform
// requested) → `refs[<id>]` + `containerimage.config/<id>`; and always
// `refs.platforms` listing every platform, with the capitalised keys of Go's
// untagged struct (`Platforms`, `ID`, `Platform`).

import { formatPlatform, normalizePlatform, platformToOciJson, type Platform } from "./platforms.js";
import type { Reference } from "./client.js";

/** What a build function returns: the refs plus metadata, ready for Return. */
export interface FrontendResult {
  /** Single result; undefined = an empty image (scratch) or a refs-keyed result. */
  readonly ref?: Reference | undefined;
  /** Platform-keyed results; when present `ref` is ignored. An undefined value is an empty filesystem. */
  readonly refs?: ReadonlyMap<string, Reference | undefined>;
  readonly metadata: ReadonlyMap<string, Uint8Array>;
  /** In-toto attestations per platform ID (`linux/amd64`), as BuildKit keys them whatever the result's shape. */
  readonly attestations?: ReadonlyMap<string, readonly InTotoAttestation[]>;
}

/**
 * A file in a solved result that BuildKit wraps in an in-toto statement whose
 * subject is the exported image (BuildKit exporter/attestation/make.go: no
 * subjects given means kind Self, the image manifest).
 */
export interface InTotoAttestation {
  readonly ref: Reference;
  /** The predicate's path in `ref`; its base name names the file the local exporter writes. */
  readonly path: string;
  readonly predicateType: string;
  /** `reason: sbom` as BuildKit's own SBOM step marks its attestations (solver/result/attestation.go). */
  readonly metadata?: ReadonlyMap<string, Uint8Array>;
}

export class ResultError extends Error {
  override readonly name = "ResultError";
}

const utf8 = new TextEncoder();

function bytes(v: string | Uint8Array | object): Uint8Array {
  if (v instanceof Uint8Array) return v;
  return utf8.encode(typeof v === "string" ? v : JSON.stringify(v));
}

export class ResultBuilder {
  private readonly entries: { id: string; platform: Platform; ref: Reference | undefined; config?: Uint8Array; baseConfig?: Uint8Array }[] = [];
  private readonly metadata = new Map<string, Uint8Array>();
  private readonly attestations = new Map<string, InTotoAttestation[]>();

  /** `multiPlatform`: key results by platform even for one platform (options.multiPlatform). */
  constructor(private readonly multiPlatform: boolean) {}

  /**
   * Adds the result for one platform. `imageConfig` is the image config (an
   * object, JSON text or bytes; it must hold `os` and `architecture`).
   */
  addPlatform(
    platform: Platform,
    ref: Reference | undefined,
    imageConfig?: object | string | Uint8Array,
    options: { readonly baseImageConfig?: object | string | Uint8Array } = {},
  ): this {
    const normalized = normalizePlatform(platform);
    const id = formatPlatform(normalized);
    if (this.entries.some((e) => e.id === id)) throw new ResultError(`platform ${id} was added twice`);
    this.entries.push({
      id,
      platform: normalized,
      ref,
      ...(imageConfig !== undefined ? { config: bytes(imageConfig) } : {}),
      ...(options.baseImageConfig !== undefined ? { baseConfig: bytes(options.baseImageConfig) } : {}),
    });
    return this;
  }

  /** Any other metadata key (`result.json` for subrequests, `source.date.epoch`, ...). */
  setMetadata(key: string, value: string | Uint8Array): this {
    this.metadata.set(key, bytes(value));
    return this;
  }

  /** Attaches an attestation to a platform added with addPlatform. */
  addAttestation(platform: Platform, attestation: InTotoAttestation): this {
    const id = formatPlatform(normalizePlatform(platform));
    if (!this.entries.some((e) => e.id === id)) throw new ResultError(`attestation for ${id}, a platform with no result`);
    this.attestations.set(id, [...(this.attestations.get(id) ?? []), attestation]);
    return this;
  }

  finalize(): FrontendResult {
    const metadata = new Map(this.metadata);
    if (this.entries.length === 0) return { metadata };
    const attestations = this.attestations.size > 0 ? { attestations: new Map(this.attestations) } : {};
    const multi = this.multiPlatform || this.entries.length > 1;
    const platforms = { Platforms: this.entries.map((e) => ({ ID: e.id, Platform: platformToOciJson(e.platform) })) };
    metadata.set("refs.platforms", bytes(platforms));
    if (!multi) {
      const [only] = this.entries;
      if (only?.config) metadata.set("containerimage.config", only.config);
      if (only?.baseConfig) metadata.set("containerimage.base.config", only.baseConfig);
      return { ref: only?.ref, metadata, ...attestations };
    }
    const refs = new Map<string, Reference | undefined>();
    for (const e of this.entries) {
      refs.set(e.id, e.ref);
      if (e.config) metadata.set(`containerimage.config/${e.id}`, e.config);
      if (e.baseConfig) metadata.set(`containerimage.base.config/${e.id}`, e.baseConfig);
    }
    return { refs, metadata, ...attestations };
  }
}
