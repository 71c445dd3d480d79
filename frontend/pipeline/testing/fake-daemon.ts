// The real build function against a fake daemon: a grpc-js LLBBridge that
// holds a virtual build context and answers the calls a speck build makes,
// through the same stdio relay the frontend uses inside BuildKit. Tests
// replace single handlers to inject a fault at one step of the build.

import { PassThrough, type Writable } from "node:stream";
import type { Socket } from "node:net";
import { decodeMessage, type APICap, type Stat, type Status } from "../../../proto/gateway.js";
import { runToExit } from "../../gateway/testing/run-to-exit.js";
import { caps, FakeStatus, MODERN_GATEWAY_CAPS, startFakeBridge, type FakeBridge, type FakeHandlers } from "../../gateway/testing/fake-bridge.js";
import { pbCodec } from "../../pb-codec.js";
import { build } from "../build.js";

// Go's os.FileMode bits, as fsutil's Stat.mode carries them.
export const MODE_DIR = 0x80000000;
export const MODE_SYMLINK = 1 << 27;

/** A file of the virtual context: its bytes, or a symlink target. */
export type FakeEntry = { readonly data: string } | { readonly link: string };

/** Every LLB cap speck's graphs use, enabled (a daemon at least as new as v0.25). */
export const ALL_LLB_CAPS: readonly string[] = [
  "source.image", "source.local", "source.local.sessionid", "source.local.includepatterns", "source.local.followpaths",
  "source.local.excludepatterns", "source.local.sharedkeyhint", "source.local.differ", "exec.meta.base", "exec.meta.network",
  "exec.meta.proxyenv", "exec.mount.bind", "exec.mount.cache", "exec.mount.cache.sharing", "exec.mount.selector",
  "exec.mount.tmpfs", "constraints", "platform", "meta.ignorecache", "meta.description", "file.base", "mergeop", "diffop",
  "source.image.resolvemode",
];

export interface FakeBuildOptions {
  /** Path -> entry; the build file is read from here too. */
  readonly files: Readonly<Record<string, FakeEntry>>;
  /** BUILDKIT_FRONTEND_OPT_* values, e.g. `context:toolchain=docker-image://x`. */
  readonly opts?: readonly string[];
  readonly llbCaps?: readonly string[];
  readonly gatewayCaps?: readonly APICap[];
  /** Replace or add handlers; each receives the defaults' behaviour by name. */
  readonly handlers?: (attach: FakeAttach) => FakeHandlers;
  /** More environment for the frontend, e.g. BUILDKIT_WORKERS. */
  readonly env?: Readonly<Record<string, string>>;
}

/** The frontend's end of the wiring, for handlers that break it (a dropped connection). */
export interface FakeAttach {
  /** The server side of the connection (undefined until attached). */
  readonly socket: () => Socket | undefined;
  /** The frontend's stdin: ending it is what the frontend sees when the daemon goes away. */
  readonly stdin: Writable;
}

export interface FakeBuildOutcome {
  readonly code: number;
  readonly ms: number;
  readonly fake: FakeBridge;
  /** The error the frontend Returned, if any. */
  readonly error: Status | undefined;
  /** Solve requests' definitions, in order. */
  readonly definitions: readonly Uint8Array[];
}

function stat(path: string, entry: FakeEntry | "dir"): Stat {
  const base = { uid: 0, gid: 0, modTime: 0n, devmajor: 0n, devminor: 0n, xattrs: {} };
  if (entry === "dir") return { ...base, path, mode: (MODE_DIR | 0o755) >>> 0, size: 0n, linkname: "" };
  if ("link" in entry) return { ...base, path, mode: (MODE_SYMLINK | 0o777) >>> 0, size: 0n, linkname: entry.link };
  return { ...base, path, mode: 0o644, size: BigInt(Buffer.byteLength(entry.data)), linkname: "" };
}

/** The direct children of `dir` ("." for the root) in the virtual context. */
export function listDir(files: Readonly<Record<string, FakeEntry>>, dir: string): Stat[] {
  const prefix = dir === "." ? "" : `${dir}/`;
  const seen = new Map<string, Stat>();
  for (const [path, entry] of Object.entries(files)) {
    if (!path.startsWith(prefix)) continue;
    const [name, ...rest] = path.slice(prefix.length).split("/");
    if (name === undefined || seen.has(name)) continue;
    seen.set(name, rest.length > 0 ? stat(name, "dir") : stat(name, entry));
  }
  return [...seen.values()].sort((a, b) => a.path.localeCompare(b.path));
}

/** The handlers of a daemon holding `o.files`; Solve definitions are appended to `definitions`. */
export function fakeDaemonHandlers(o: FakeBuildOptions, definitions: Uint8Array[], attach: FakeAttach): FakeHandlers {
  let solves = 0;
  const file = (path: string): string => {
    const e = o.files[path];
    // BuildKit answers a missing path with the OS error, code Unknown.
    if (!e || !("data" in e)) throw new FakeStatus({ code: 2, message: `open ${path}: no such file or directory`, details: [] });
    return e.data;
  };
  const defaults: FakeHandlers = {
    Ping: () => ({ FrontendAPICaps: o.gatewayCaps ?? MODERN_GATEWAY_CAPS, LLBCaps: caps(...(o.llbCaps ?? ALL_LLB_CAPS)) }),
    Solve: (r) => {
      definitions.push(r.Definition);
      return { result: { ref: { id: `ref${++solves}`, def: r.Definition }, metadata: {} } };
    },
    StatFile: (r) => ({ stat: stat(r.Path, o.files[r.Path] ?? { data: "" }) }),
    // As BuildKit does: a Range with a length reads that slice (clipped at the end of the file).
    ReadFile: (r) => {
      const data = Buffer.from(file(r.FilePath));
      const offset = Number(r.Range?.Offset ?? 0);
      const length = Number(r.Range?.Length ?? 0);
      return { Data: length > 0 ? data.subarray(offset, offset + length) : data.subarray(offset) };
    },
    ReadDir: (r) => ({ entries: listDir(o.files, r.DirPath) }),
    ResolveSourceMeta: () => ({ Source: new Uint8Array(), Image: { Digest: `sha256:${"a".repeat(64)}`, Config: Buffer.from('{"architecture":"amd64","os":"linux","config":{}}') } }),
  };
  return { ...defaults, ...o.handlers?.(attach) };
}

/** BUILDKIT_FRONTEND_OPT_* variables for `opts`. */
export function frontendEnv(opts: readonly string[] = []): Record<string, string> {
  const env: Record<string, string> = { BUILDKIT_SESSION_ID: "sess" };
  opts.forEach((v, i) => (env[`BUILDKIT_FRONTEND_OPT_${i}`] = v));
  return env;
}

/** Runs speck's build function once against a fake daemon; resolves when the frontend calls exit. */
export async function fakeBuild(o: FakeBuildOptions): Promise<FakeBuildOutcome> {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const definitions: Uint8Array[] = [];
  let socket: Socket | undefined;
  const fake = await startFakeBridge(fakeDaemonHandlers(o, definitions, { socket: () => socket, stdin }));
  const env: NodeJS.ProcessEnv = { ...frontendEnv(o.opts), ...o.env };
  const started = performance.now();
  try {
    const code = await runToExit(build, { codec: pbCodec, env, stdin, stdout, pingTimeoutMs: 2_000 }, () => {
      socket = fake.attach(stdout, stdin);
    });
    const ret = fake.returns[0];
    const error = ret ? decodeMessage("ReturnRequest", ret).error : undefined;
    return { code, ms: performance.now() - started, fake, error, definitions };
  } finally {
    stdin.destroy();
    stdout.destroy();
    await fake.close();
  }
}
