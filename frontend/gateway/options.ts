// The frontend options BuildKit passes as BUILDKIT_FRONTEND_OPT_<i>=key=value,
// with typed accessors for the keys buildx and the BuildKit client set (keys as
// in BuildKit frontend/dockerui). Accessors parse on use, so a bad value
// fails the build with a clear message instead of failing start-up.

import { parsePlatform, type Platform } from "./platforms.js";
import type { CacheOptionsEntry } from "../../proto/gateway.js";

export const FRONTEND_OPT_PREFIX = "BUILDKIT_FRONTEND_OPT_";

export type ResolveMode = "default" | "pull" | "local";

/** A frontend option with a value speck cannot use (named after the option key). */
export class OptionError extends Error {
  override readonly name = "OptionError";
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(`frontend option "${key}": ${message}`);
  }
}

/** Every BUILDKIT_FRONTEND_OPT_* variable, split at the first "=" (values may hold "="; keys never do). */
export function parseFrontendOpts(env: NodeJS.ProcessEnv): Map<string, string> {
  const opts = new Map<string, string>();
  // Their numeric suffixes come from Go map iteration (random): sort for a stable order.
  const names = Object.keys(env).filter((n) => n.startsWith(FRONTEND_OPT_PREFIX)).sort();
  for (const name of names) {
    const raw = env[name] ?? "";
    const eq = raw.indexOf("=");
    opts.set(eq < 0 ? raw : raw.slice(0, eq), eq < 0 ? "" : raw.slice(eq + 1));
  }
  return opts;
}

function withPrefix(opts: ReadonlyMap<string, string>, prefix: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of opts) if (k.startsWith(prefix)) out.set(k.slice(prefix.length), v);
  return out;
}

function parseBool(key: string, v: string): boolean {
  // Go's strconv.ParseBool spellings.
  if (["1", "t", "T", "true", "TRUE", "True"].includes(v)) return true;
  if (["0", "f", "F", "false", "FALSE", "False"].includes(v)) return false;
  throw new OptionError(key, `invalid boolean "${v}" (expected true or false)`);
}

export class BuildOptions {
  constructor(
    private readonly opts: ReadonlyMap<string, string>,
    /** The build's session id (BUILDKIT_SESSION_ID): the default for local sources. */
    readonly sessionId: string = "",
    private readonly host?: Platform,
  ) {}

  static fromEnv(env: NodeJS.ProcessEnv = process.env): BuildOptions {
    return new BuildOptions(parseFrontendOpts(env), env.BUILDKIT_SESSION_ID ?? "");
  }

  get(key: string): string | undefined {
    return this.opts.get(key);
  }

  has(key: string): boolean {
    return this.opts.has(key);
  }

  /** All options, raw. */
  entries(): IterableIterator<[string, string]> {
    return this.opts.entries();
  }

  /** The build file name inside the `dockerfile` local (buildx sends the basename of -f); undefined if not given. */
  get filename(): string | undefined {
    return this.opts.get("filename") || undefined;
  }

  get target(): string | undefined {
    return this.opts.get("target") || undefined;
  }

  /** The `platform` option parsed and normalized; empty when absent (= the default platform). */
  get platforms(): Platform[] {
    const v = this.opts.get("platform");
    if (!v) return [];
    try {
      return v.split(",").map((s) => parsePlatform(s, this.host));
    } catch (e) {
      throw new OptionError("platform", (e as Error).message);
    }
  }

  /**
   * Whether the result must be keyed by platform: more than one platform, or
   * `multi-platform` (alias `build-arg:BUILDKIT_MULTI_PLATFORM`) set to true.
   */
  get multiPlatform(): boolean {
    const many = this.platforms.length > 1;
    const alias = this.opts.get("build-arg:BUILDKIT_MULTI_PLATFORM");
    const [key, v] = alias ? ["build-arg:BUILDKIT_MULTI_PLATFORM", alias] : ["multi-platform", this.opts.get("multi-platform")];
    if (!v) return many;
    const b = parseBool(key, v);
    if (!b && many) throw new OptionError(key, "is false, but more than one target platform was requested");
    return b;
  }

  /** `build-arg:<NAME>` values by NAME. */
  get buildArgs(): Map<string, string> {
    return withPrefix(this.opts, "build-arg:");
  }

  /** `label:<NAME>` values by NAME. */
  get labels(): Map<string, string> {
    return withPrefix(this.opts, "label:");
  }

  /**
   * `no-cache`: undefined when absent; `{ all: true }` for `--no-cache` (empty value);
   * else the stage names of `--no-cache-filter`.
   */
  get noCache(): { readonly all: true } | { readonly all: false; readonly names: readonly string[] } | undefined {
    const v = this.opts.get("no-cache");
    if (v === undefined) return undefined;
    if (v === "") return { all: true };
    return { all: false, names: v.split(",") };
  }

  get imageResolveMode(): ResolveMode {
    const v = this.opts.get("image-resolve-mode") ?? "";
    if (v === "" || v === "default") return "default";
    if (v === "pull" || v === "local") return v;
    throw new OptionError("image-resolve-mode", `invalid value "${v}" (expected default, pull or local)`);
  }

  /** The value of `context:<name>::<platformId>`, else of `context:<name>` (BuildKit's lookup order). */
  namedContext(name: string, platformId?: string): string | undefined {
    return (platformId !== undefined ? this.opts.get(`context:${name}::${platformId}`) : undefined) ?? this.opts.get(`context:${name}`);
  }

  /** Every `context:*` option, keyed by what follows `context:` (may include `::<platform>`). */
  get namedContexts(): Map<string, string> {
    return withPrefix(this.opts, "context:");
  }

  /** The session to read local `name` from: `local-sessionid:<name>`, else the build's session. */
  localSessionId(localName: string): string {
    return this.opts.get(`local-sessionid:${localName}`) ?? this.sessionId;
  }

  /** `sharedkey:localdir:<name>`, buildx's cache-sharing hint for a local named context. */
  sharedKey(name: string): string | undefined {
    return this.opts.get(`sharedkey:localdir:${name}`);
  }

  /** `cache-imports` (JSON) plus the older `cache-from` (comma list of registry refs), as dockerui merges them. */
  get cacheImports(): CacheOptionsEntry[] {
    const out: CacheOptionsEntry[] = [];
    const json = this.opts.get("cache-imports");
    if (json) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(json);
      } catch (e) {
        throw new OptionError("cache-imports", `invalid JSON: ${(e as Error).message}`);
      }
      if (!Array.isArray(parsed)) throw new OptionError("cache-imports", "expected a JSON array");
      for (const item of parsed as unknown[]) {
        const e = (item ?? {}) as { Type?: unknown; Attrs?: unknown };
        if (typeof e.Type !== "string") throw new OptionError("cache-imports", "every entry needs a string Type");
        const attrs: Record<string, string> = {};
        for (const [k, v] of Object.entries((e.Attrs ?? {}) as object)) attrs[k] = String(v);
        out.push({ Type: e.Type, Attrs: attrs });
      }
    }
    const from = this.opts.get("cache-from");
    if (from) for (const ref of from.split(",")) out.push({ Type: "registry", Attrs: { ref } });
    return out;
  }

  /** `requestid`: the subrequest to answer instead of building (`frontend.outline`, ...). */
  get requestId(): string | undefined {
    return this.opts.get("requestid") || undefined;
  }

  /** `input-metadata:<name>`: a JSON map whose values are base64 bytes (key `containerimage.config`). */
  inputMetadata(name: string): Map<string, Uint8Array> | undefined {
    const key = `input-metadata:${name}`;
    const v = this.opts.get(key);
    if (v === undefined) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(v);
    } catch (e) {
      throw new OptionError(key, `invalid JSON: ${(e as Error).message}`);
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw new OptionError(key, "expected a JSON object");
    const out = new Map<string, Uint8Array>();
    for (const [k, b64] of Object.entries(parsed)) {
      if (typeof b64 !== "string") throw new OptionError(key, `value of "${k}" must be a base64 string`);
      out.set(k, Buffer.from(b64, "base64"));
    }
    return out;
  }
}
