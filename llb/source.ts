// SourceOp: where filesystems come from — images, the client's local files,
// git repositories and HTTP downloads. Attribute keys and caps follow BuildKit
// (solver/pb/attr.go, client/llb/source.go). Nothing here does I/O or draws
// random numbers: ids that Go would invent are the caller's to give.

import type * as pb from "../proto/llb.js";
import { Caps, internCaps } from "./caps.js";
import { invalidArgument } from "./errors.js";
import { normalizeImageRef } from "./image-ref.js";
import { joinPath } from "./paths.js";
import { asPlatform, toPbPlatform, type Platform } from "./platform.js";
import { State } from "./state.js";
import { pickOpOptions, type MarshalContext, type MarshalledOp, type OpOptions, type Output, type Vertex } from "./vertex.js";

class SourceVertex implements Vertex {
  readonly kind = "source";
  readonly inputs: readonly Output[] = [];

  constructor(
    readonly identifier: string,
    readonly attrs: Readonly<Record<string, string>>,
    readonly caps: readonly string[],
    /** Only docker-image sources are platform specific; others carry no platform, like Go. */
    readonly platformSpecific: boolean,
    readonly platform: Platform | undefined,
    readonly options: OpOptions,
  ) {
    Object.freeze(this);
  }

  marshal(ctx: MarshalContext): MarshalledOp {
    const op: pb.Op = { constraints: {}, source: { identifier: this.identifier, attrs: this.attrs } };
    if (this.platformSpecific) op.platform = this.platform ? toPbPlatform(this.platform) : ctx.platform;
    return { op, caps: this.caps };
  }
}

function sourceState(v: SourceVertex): State {
  return new State({ vertex: v, index: 0 });
}

/**
 * Local, git and HTTP sources are plain file trees: paths in them are relative
 * to their root, so their states start with working directory "/". Images and
 * scratch have none until set (an image's comes from its config's WorkingDir).
 */
function treeState(v: SourceVertex): State {
  return sourceState(v).dir("/");
}

/** Go's json.Marshal of a string list (it escapes <, > and & — and the bytes are hashed). */
export function goJsonStrings(list: readonly string[]): string {
  return JSON.stringify(list).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

// --- docker-image:// ---------------------------------------------------------

/** The parts of an image's OCI config that a state inherits. */
export interface ImageConfig {
  readonly Env?: readonly string[];
  readonly WorkingDir?: string;
  readonly User?: string;
}

export interface ImageOptions extends OpOptions {
  /** Platform to pull; default: the marshal platform. Also becomes the state's platform. */
  readonly platform?: Platform | string;
  /** "pull" forces a registry check; "local" prefers the local store. */
  readonly resolveMode?: "default" | "pull" | "local";
  /** e.g. "internal" for plumbing images. */
  readonly recordType?: string;
  readonly layerLimit?: number;
  /** Expected manifest digest (BuildKit >= 0.25). */
  readonly checksum?: string;
  /** When given (usually from ResolveImageConfig), its Env, WorkingDir and User apply to the state. */
  readonly config?: ImageConfig;
}

export function image(ref: string, options: ImageOptions = {}): State {
  const normalized = normalizeImageRef(ref);
  const attrs: Record<string, string> = {};
  const caps: string[] = [Caps.sourceImage];
  if (options.resolveMode && options.resolveMode !== "default") {
    attrs["image.resolvemode"] = options.resolveMode;
    // Only forced pull needs the cap: it is the security-relevant mode.
    if (options.resolveMode === "pull") caps.push(Caps.sourceImageResolveMode);
  }
  if (options.recordType) attrs["image.recordtype"] = options.recordType;
  if (options.layerLimit !== undefined) {
    if (!Number.isSafeInteger(options.layerLimit) || options.layerLimit < 0) {
      throw invalidArgument(`image: layerLimit must be a non-negative integer, got ${options.layerLimit}`);
    }
    attrs["image.layerlimit"] = String(options.layerLimit);
    caps.push(Caps.sourceImageLayerLimit);
  }
  if (options.checksum) {
    attrs["image.checksum"] = options.checksum;
    caps.push(Caps.sourceImageChecksum);
  }
  const platform = options.platform === undefined ? undefined : asPlatform(options.platform);
  const v = new SourceVertex(`docker-image://${normalized}`, Object.freeze(attrs), internCaps(caps), true, platform, pickOpOptions(options));
  let st = sourceState(v);
  if (platform) st = st.platform(platform);
  const config = options.config;
  if (config) {
    for (const kv of config.Env ?? []) {
      const eq = kv.indexOf("=");
      st = eq < 0 ? st.addEnv(kv, "") : st.addEnv(kv.slice(0, eq), kv.slice(eq + 1));
    }
    if (config.WorkingDir) st = st.dir(config.WorkingDir.startsWith("/") ? config.WorkingDir : `/${config.WorkingDir}`);
    if (config.User) st = st.user(config.User);
  }
  return st;
}

// --- local:// ------------------------------------------------------------------

export interface LocalOptions extends OpOptions {
  /** The client session that serves the files (gateway: the build's session id). */
  readonly sessionId?: string;
  /**
   * Cache-key salt (`local.unique`); never generated here. Go sets it only
   * when there is no session; we write it whenever it is given.
   */
  readonly uniqueId?: string;
  readonly includePatterns?: readonly string[];
  readonly excludePatterns?: readonly string[];
  readonly followPaths?: readonly string[];
  /** Lets transfers of the same directory share a cache (e.g. "context"). */
  readonly sharedKeyHint?: string;
  readonly differ?: "none" | "metadata";
  /** Declare the differ cap, so daemons that cannot honour it refuse the op. */
  readonly differRequired?: boolean;
}

export function local(name: string, options: LocalOptions = {}): State {
  if (name === "") throw invalidArgument("local: name must not be empty");
  if (!options.sessionId && !options.uniqueId) {
    throw invalidArgument(`local("${name}"): give sessionId (the build session) or uniqueId; speck never invents one`);
  }
  const attrs: Record<string, string> = {};
  const caps: string[] = [];
  if (options.sessionId) {
    attrs["local.session"] = options.sessionId;
    caps.push(Caps.sourceLocalSessionID);
  }
  if (options.uniqueId) {
    attrs["local.unique"] = options.uniqueId;
    caps.push(Caps.sourceLocalUnique);
  }
  if (options.includePatterns && options.includePatterns.length > 0) {
    attrs["local.includepattern"] = goJsonStrings(options.includePatterns);
    caps.push(Caps.sourceLocalIncludePatterns);
  }
  if (options.followPaths && options.followPaths.length > 0) {
    attrs["local.followpaths"] = goJsonStrings(options.followPaths);
    caps.push(Caps.sourceLocalFollowPaths);
  }
  if (options.excludePatterns && options.excludePatterns.length > 0) {
    attrs["local.excludepatterns"] = goJsonStrings(options.excludePatterns);
    caps.push(Caps.sourceLocalExcludePatterns);
  }
  if (options.sharedKeyHint) {
    attrs["local.sharedkeyhint"] = options.sharedKeyHint;
    caps.push(Caps.sourceLocalSharedKeyHint);
  }
  if (options.differ) {
    attrs["local.differ"] = options.differ;
    if (options.differRequired) caps.push(Caps.sourceLocalDiffer);
  }
  caps.push(Caps.sourceLocal);
  return treeState(new SourceVertex(`local://${name}`, Object.freeze(attrs), internCaps(caps), false, undefined, pickOpOptions(options)));
}

// --- git:// --------------------------------------------------------------------

export interface GitOptions extends OpOptions {
  /** Sub-directory of the repository to use as the result. */
  readonly subdir?: string;
  readonly keepGitDir?: boolean;
  /** Secret ids holding an HTTP token/header (default GIT_AUTH_TOKEN / GIT_AUTH_HEADER). */
  readonly authTokenSecret?: string;
  readonly authHeaderSecret?: string;
  /** known_hosts lines for SSH remotes (Go scans the host; we do no I/O). */
  readonly knownSshHosts?: string;
  /** SSH agent id for SSH remotes (default "default"). */
  readonly mountSshSock?: string;
  /** Expected commit (BuildKit >= 0.22). */
  readonly checksum?: string;
  readonly skipSubmodules?: boolean;
}

interface GitRemote {
  readonly scheme: string;
  readonly host: string;
  readonly path: string;
}

const scpLike = /^(?:[\w.-]+@)?([\w.-]+):(?!\/\/)(.*)$/;

function parseGitRemote(remote: string): GitRemote | undefined {
  const m = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(remote);
  if (m) {
    const scheme = (m[1] ?? "").toLowerCase();
    if (!["https", "http", "git", "ssh"].includes(scheme)) return undefined;
    let u: URL;
    try {
      u = new URL(remote);
    } catch {
      return undefined;
    }
    return { scheme, host: u.host, path: decodeURIComponent(u.pathname) };
  }
  const s = scpLike.exec(remote);
  if (s) return { scheme: "ssh", host: s[1] ?? "", path: s[2] ?? "" };
  return undefined;
}

export function git(remote: string, ref = "", options: GitOptions = {}): State {
  let url = remote;
  let parsed = parseGitRemote(url);
  if (!parsed && !/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    // Like Go: a remote without a known protocol is taken as https.
    url = `https://${url}`;
    parsed = parseGitRemote(url);
  }
  if (!parsed || parsed.host === "") {
    throw invalidArgument(`git: cannot parse remote "${remote}" (expected https://host/path, ssh://…, or user@host:path)`);
  }
  const subdir = options.subdir ? joinPath("/", options.subdir).replace(/^\//, "") : "";
  let id = parsed.host + joinPath("/", parsed.path);
  if (ref !== "" || subdir !== "") id += `#${ref}${subdir !== "" ? `:${subdir}` : ""}`;

  const attrs: Record<string, string> = {};
  const caps: string[] = [];
  if (options.keepGitDir) {
    attrs["git.keepgitdir"] = "true";
    caps.push(Caps.sourceGitKeepDir);
  }
  attrs["git.fullurl"] = url;
  caps.push(Caps.sourceGitFullURL);
  attrs["git.authtokensecret"] = options.authTokenSecret ?? "GIT_AUTH_TOKEN";
  attrs["git.authheadersecret"] = options.authHeaderSecret ?? "GIT_AUTH_HEADER";
  if (options.authTokenSecret !== undefined || options.authHeaderSecret !== undefined) caps.push(Caps.sourceGitHTTPAuth);
  if (parsed.scheme === "ssh") {
    if (options.knownSshHosts) attrs["git.knownsshhosts"] = options.knownSshHosts;
    caps.push(Caps.sourceGitKnownSSHHosts);
    attrs["git.mountsshsock"] = options.mountSshSock ?? "default";
    caps.push(Caps.sourceGitMountSSHSock);
  }
  if (options.checksum) {
    attrs["git.checksum"] = options.checksum;
    caps.push(Caps.sourceGitChecksum);
  }
  if (options.skipSubmodules) {
    attrs["git.skipsubmodules"] = "true";
    caps.push(Caps.sourceGitSkipSubmodules);
  }
  // Go never declares the subdir cap; we do, so an old daemon refuses rather than ignores it.
  if (subdir !== "") caps.push(Caps.sourceGitSubdir);
  caps.push(Caps.sourceGit);
  return treeState(new SourceVertex(`git://${id}`, Object.freeze(attrs), internCaps(caps), false, undefined, pickOpOptions(options)));
}

// --- http(s):// -------------------------------------------------------------------

export interface HttpOptions extends OpOptions {
  /** Expected digest of the download, e.g. sha256:…; the build fails on mismatch. */
  readonly checksum?: string;
  readonly filename?: string;
  /** File mode of the downloaded file, e.g. 0o644. */
  readonly perm?: number;
  readonly uid?: number;
  readonly gid?: number;
  readonly authHeaderSecret?: string;
  /** Extra request headers (BuildKit >= 0.21). */
  readonly headers?: Readonly<Record<string, string>>;
}

export function http(url: string, options: HttpOptions = {}): State {
  if (!/^https?:\/\/[^/]/.test(url)) {
    throw invalidArgument(`http: "${url}" is not an http:// or https:// URL`);
  }
  const attrs: Record<string, string> = {};
  const caps: string[] = [];
  if (options.checksum) {
    attrs["http.checksum"] = options.checksum;
    caps.push(Caps.sourceHTTPChecksum);
  }
  if (options.filename) attrs["http.filename"] = options.filename;
  if (options.perm !== undefined) {
    attrs["http.perm"] = `0${options.perm.toString(8)}`;
    caps.push(Caps.sourceHTTPPerm);
  }
  if (options.uid !== undefined) {
    attrs["http.uid"] = String(options.uid);
    caps.push(Caps.sourceHTTPUIDGID);
  }
  if (options.gid !== undefined) {
    attrs["http.gid"] = String(options.gid);
    if (options.uid === undefined) caps.push(Caps.sourceHTTPUIDGID);
  }
  if (options.authHeaderSecret) {
    attrs["http.authheadersecret"] = options.authHeaderSecret;
    caps.push(Caps.sourceHTTPAuth);
  }
  const headers = Object.entries(options.headers ?? {});
  for (const [k, v] of headers) attrs[`http.header.${k}`] = v;
  if (headers.length > 0) caps.push(Caps.sourceHTTPHeader);
  caps.push(Caps.sourceHTTP);
  return treeState(new SourceVertex(url, Object.freeze(attrs), internCaps(caps), false, undefined, pickOpOptions(options)));
}
