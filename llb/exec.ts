// ExecOp: run a command on a root filesystem with extra mounts.
//
// Everything is decided when run() is called: mounts are sorted by target
// (byte order, as Go's builder does), output indexes assigned in that order to
// writable bind mounts, and the returned ExecState knows which mount has which
// output. Nothing is added to an op after run() returned.

import * as pb from "../proto/llb.js";
import { Caps, internCaps } from "./caps.js";
import { compareUtf8 } from "./wire-writer.js";
import { LlbError, invalidArgument } from "./errors.js";
import type { BindMount, CacheMount, Mount, SecretMount, SshMount, TmpfsMount } from "./mounts.js";
import { toPbPlatform, type Platform } from "./platform.js";
import { State, type HostIP, type NetworkMode, type SecurityMode } from "./state.js";
import { pickOpOptions, resolveInputs, uniqueOutputs, type MarshalContext, type MarshalledOp, type OpOptions, type Output, type Vertex } from "./vertex.js";

const DEFAULT_PATH_UNIX = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

export interface Ulimit {
  readonly name: string;
  readonly soft: number | bigint;
  readonly hard: number | bigint;
}

export interface SecretEnv {
  /** Secret id as given to `--secret id=…`. */
  readonly id: string;
  /** Environment variable that receives the secret's value. */
  readonly name: string;
  readonly optional?: boolean;
}

export interface ProxyEnv {
  readonly httpProxy?: string;
  readonly httpsProxy?: string;
  readonly ftpProxy?: string;
  readonly noProxy?: string;
  readonly allProxy?: string;
}

export interface RunOptions extends OpOptions {
  /** argv; never a shell string. Required and non-empty. */
  readonly args: readonly string[];
  /** Added to (or replacing in) the state's environment, for this command only. */
  readonly env?: Readonly<Record<string, string>>;
  /** Working directory; relative paths are joined to the state's. Default: the state's, else "/". */
  readonly cwd?: string;
  readonly user?: string;
  readonly hostname?: string;
  readonly mounts?: readonly Mount[];
  readonly network?: NetworkMode;
  readonly security?: SecurityMode;
  /** Exit codes that count as success (default: only 0). */
  readonly validExitCodes?: readonly number[];
  readonly ulimits?: readonly Ulimit[];
  readonly extraHosts?: readonly HostIP[];
  readonly secretEnv?: readonly SecretEnv[];
  readonly proxyEnv?: ProxyEnv;
  readonly cgroupParent?: string;
  /** Mount the root filesystem read-only (then root() has no output). */
  readonly readonlyRootfs?: boolean;
}

/** A mount of the sorted list, with what marshal needs. */
interface PlacedMount {
  readonly mount: BindMount | CacheMount | TmpfsMount;
  readonly source: Output | undefined;
  /** Output index, or -1 when the mount has none. */
  readonly output: number;
}

const networkModes: Record<NetworkMode, pb.NetMode> = { sandbox: pb.NetMode.UNSET, host: pb.NetMode.HOST, none: pb.NetMode.NONE };
const securityModes: Record<SecurityMode, pb.SecurityMode> = { sandbox: pb.SecurityMode.SANDBOX, insecure: pb.SecurityMode.INSECURE };
const sharingModes = { shared: pb.CacheSharingOpt.SHARED, private: pb.CacheSharingOpt.PRIVATE, locked: pb.CacheSharingOpt.LOCKED } as const;

const EMPTY_CONSTRAINTS: pb.WorkerConstraints = Object.freeze({});
const NONE: readonly never[] = Object.freeze([]);

class ExecVertex implements Vertex {
  readonly kind = "exec";
  readonly inputs: readonly Output[];
  readonly caps: readonly string[];
  /** Index into `inputs` of each placed mount's source, -1 for none. */
  readonly #mountInputs: readonly number[];

  constructor(
    readonly meta: pb.Meta,
    readonly network: NetworkMode,
    readonly security: SecurityMode,
    readonly mounts: readonly PlacedMount[],
    readonly secrets: readonly SecretMount[],
    readonly sshs: readonly SshMount[],
    readonly secretEnv: readonly SecretEnv[],
    readonly platform: Platform | undefined,
    readonly options: OpOptions,
  ) {
    const inputs = uniqueOutputs(mounts.map((m) => m.source));
    this.inputs = inputs;
    this.#mountInputs = mounts.map(({ source: s }) => (s ? inputs.findIndex((o) => o.vertex === s.vertex && o.index === s.index) : -1));
    this.caps = this.computeCaps();
    Object.freeze(this);
  }

  marshal(ctx: MarshalContext): MarshalledOp {
    const { inputs, remap } = resolveInputs(ctx, this.inputs);
    const platform = this.platform ? toPbPlatform(this.platform) : ctx.platform;
    const windows = platform.OS === "windows";
    // Not cached on the vertex: a graph is usually marshalled once, and keeping
    // every built message alive with the graph costs more memory than it saves.
    const exec = this.build(windows, remap);
    return { op: { inputs, platform, constraints: EMPTY_CONSTRAINTS, exec }, caps: this.caps };
  }

  private build(windows: boolean, remap: readonly number[] | undefined): pb.ExecOp {
    const mounts: pb.Mount[] = this.mounts.map(({ mount: m, output }, i) => {
      const structural = this.#mountInputs[i] ?? -1;
      const pm: pb.Mount = { input: structural < 0 ? -1 : (remap?.[structural] ?? structural), dest: m.dest, output };
      if (m.kind !== "tmpfs" && m.selector) pm.selector = m.selector;
      if (m.kind === "bind") {
        if (m.readonly) pm.readonly = true;
      } else if (m.kind === "cache") {
        pm.mountType = pb.MountType.CACHE;
        pm.cacheOpt = { ID: m.id, sharing: sharingModes[m.sharing] };
      } else {
        pm.mountType = pb.MountType.TMPFS;
        pm.TmpfsOpt = { size: m.size };
      }
      return pm;
    });
    // Secrets and SSH sockets follow the sorted mounts, in the order given, as in Go.
    for (const s of this.secrets) {
      mounts.push({
        input: -1,
        dest: s.dest,
        mountType: pb.MountType.SECRET,
        secretOpt: { ID: s.id, uid: s.uid, gid: s.gid, mode: s.mode, optional: s.optional },
      });
    }
    this.sshs.forEach((s, i) => {
      mounts.push({
        input: -1,
        dest: s.dest ?? sshTarget(i),
        mountType: pb.MountType.SSH,
        SSHOpt: { ID: s.id, uid: s.uid, gid: s.gid, mode: s.mode, optional: s.optional },
      });
    });
    const env = [...(this.meta.env ?? [])];
    // Go's builder adds the default PATH itself unless the daemon advertises
    // exec.meta.setsdefaultpath; we always add it (never on Windows, like Go),
    // so the bytes do not depend on the daemon and old daemons behave the same.
    if (!windows && !env.some((e) => e.startsWith("PATH="))) env.push(`PATH=${DEFAULT_PATH_UNIX}`);
    return {
      meta: { ...this.meta, env },
      mounts,
      network: networkModes[this.network],
      security: securityModes[this.security],
      secretenv: this.secretEnv.map((s) => ({ ID: s.id, name: s.name, optional: s.optional ?? false })),
    };
  }

  /** Caps depend only on what was asked at run(), so they are computed once. */
  private computeCaps(): readonly string[] {
    // An array, not a Set: internCaps drops duplicates, and a hit allocates nothing else.
    const caps: string[] = [Caps.execMetaBase];
    const add = (c: string): void => {
      if (!caps.includes(c)) caps.push(c);
    };
    for (const { mount: m, source } of this.mounts) {
      if (m.kind !== "tmpfs" && m.selector) add(Caps.execMountSelector);
      if (m.kind === "cache") {
        add(Caps.execMountCache);
        add(Caps.execMountCacheSharing);
      } else if (m.kind === "tmpfs") {
        add(Caps.execMountTmpfs);
        if (m.size > 0) add(Caps.execMountTmpfsSize);
      } else if (source) add(Caps.execMountBind);
    }
    if (this.secrets.length > 0 || this.secretEnv.length > 0) add(Caps.execMountSecret);
    if (this.secretEnv.length > 0) add(Caps.execSecretEnv);
    if (this.sshs.length > 0) add(Caps.execMountSSH);
    if (this.network !== "sandbox") add(Caps.execMetaNetwork);
    if (this.security === "insecure") add(Caps.execMetaSecurity);
    if (this.meta.proxyEnv) add(Caps.execMetaProxy);
    if (this.meta.ulimit && this.meta.ulimit.length > 0) add(Caps.execMetaUlimit);
    if (this.meta.validExitCodes) add(Caps.execValidExitCode);
    if (this.meta.cgroupParent) add(Caps.execMetaCgroupParent);
    return internCaps(caps);
  }
}

function sshTarget(i: number): string {
  return `/run/buildkit/ssh_agent.${i}`;
}

/** The result of run(): the command's root filesystem and writable mounts as states. */
export class ExecState {
  readonly #vertex: ExecVertex;
  readonly #base: State;

  constructor(vertex: ExecVertex, base: State) {
    this.#vertex = vertex;
    this.#base = base;
    Object.freeze(this);
  }

  /** The root filesystem after the command; keeps the state's env, dir, user, platform. */
  root(): State {
    return this.#base.withOutput(this.#outputOf("/"));
  }

  /** The contents of the writable bind mount at `dest` after the command. */
  getMount(dest: string): State {
    return new State(this.#outputOf(dest));
  }

  #outputOf(dest: string): Output {
    const v = this.#vertex;
    const placed = v.mounts.find((m) => m.mount.dest === dest);
    if (placed === undefined) {
      const other = v.secrets.find((s) => s.dest === dest) ?? v.sshs.find((s, i) => (s.dest ?? sshTarget(i)) === dest);
      if (other) throw noOutput(dest, `it is a ${other.kind} mount`);
      const known = v.mounts.map((m) => m.mount.dest).join(", ");
      throw new LlbError("NO_SUCH_MOUNT", `no mount at "${dest}" in this exec (mounts: ${known})`);
    }
    if (placed.output < 0) {
      const why =
        placed.mount.kind === "bind"
          ? dest === "/"
            ? "the root filesystem was mounted read-only (readonlyRootfs)"
            : "it is a read-only bind mount"
          : `it is a ${placed.mount.kind} mount`;
      throw noOutput(dest, why);
    }
    return { vertex: v, index: placed.output };
  }
}

function noOutput(dest: string, why: string): LlbError {
  return new LlbError("MOUNT_HAS_NO_OUTPUT", `the mount at "${dest}" has no output: ${why}; only writable bind mounts do`);
}

function resolveEnv(base: State, extra: Readonly<Record<string, string>> | undefined): string[] {
  const env = base.meta.env.map(([k, v]) => `${k}=${v}`);
  if (!extra) return env;
  for (const [k, v] of Object.entries(extra)) {
    if (k === "" || k.includes("=")) throw invalidArgument(`run: invalid environment variable name "${k}"`);
    const i = base.meta.env.findIndex(([key]) => key === k);
    if (i >= 0) env[i] = `${k}=${v}`;
    else if (!env.some((e, j) => j >= base.meta.env.length && e.startsWith(`${k}=`))) env.push(`${k}=${v}`);
  }
  return env;
}

/**
 * Stable insertion sort by target, in byte order as Go's builder sorts. An
 * exec has a handful of mounts, and Array.prototype.sort allocated a work
 * array for each of 10,000 execs.
 */
function sortByDest(mounts: (BindMount | CacheMount | TmpfsMount)[]): void {
  for (let i = 1; i < mounts.length; i++) {
    const m = mounts[i] as BindMount | CacheMount | TmpfsMount;
    let j = i - 1;
    while (j >= 0 && compareUtf8((mounts[j] as BindMount | CacheMount | TmpfsMount).dest, m.dest) > 0) {
      mounts[j + 1] = mounts[j] as BindMount | CacheMount | TmpfsMount;
      j--;
    }
    mounts[j + 1] = m;
  }
}

export function runExec(base: State, o: RunOptions): ExecState {
  if (o.args.length === 0) throw invalidArgument("run: args must not be empty (it is the argv of the command)");
  const cwd = o.cwd === undefined ? (base.getDir() ?? "/") : base.dir(o.cwd).getDir() ?? "/";

  const root: BindMount = { kind: "bind", dest: "/", source: base, ...(o.readonlyRootfs ? { readonly: true } : {}) };
  const regular: (BindMount | CacheMount | TmpfsMount)[] = [root];
  const secrets: SecretMount[] = [];
  const sshs: SshMount[] = [];
  for (const m of o.mounts ?? []) {
    if (m.kind === "secret") secrets.push(m);
    else if (m.kind === "ssh") sshs.push(m);
    else regular.push(m);
  }
  sortByDest(regular);
  for (let i = 1; i < regular.length; i++) {
    const dest = regular[i]?.dest;
    if (dest === regular[i - 1]?.dest) {
      throw invalidArgument(`run: two mounts target "${dest}"${dest === "/" ? " (the root filesystem is the state itself)" : ""}`);
    }
  }
  let next = 0;
  const placed: PlacedMount[] = regular.map((m) => {
    const writable = m.kind === "bind" && !m.readonly;
    const source = m.kind === "tmpfs" ? undefined : m.source?.output;
    return { mount: m, source, output: writable ? next++ : -1 };
  });

  let env = resolveEnv(base, o.env);
  if (sshs.length > 0 && !env.some((e) => e.startsWith("SSH_AUTH_SOCK="))) {
    env = [...env, `SSH_AUTH_SOCK=${sshs[0]?.dest ?? sshTarget(0)}`];
  }
  const extraHosts = o.extraHosts ?? base.meta.extraHosts ?? [];
  for (const code of o.validExitCodes ?? []) {
    if (!Number.isInteger(code) || code < 0 || code > 255) throw invalidArgument(`run: invalid exit code ${code}`);
  }
  // Only fields that are set: zero values are not encoded anyway, and a
  // 10,000-op graph keeps every meta alive until it is marshalled.
  const meta: pb.Meta = { args: [...o.args], env, cwd, removeMountStubsRecursive: true };
  const user = o.user ?? base.getUser();
  if (user) meta.user = user;
  const hostname = o.hostname ?? base.getHostname();
  if (hostname) meta.hostname = hostname;
  if (extraHosts.length > 0) meta.extraHosts = extraHosts.map((h) => ({ Host: h.host, IP: h.ip }));
  if (o.ulimits && o.ulimits.length > 0) meta.ulimit = o.ulimits.map((u) => ({ Name: u.name, Soft: u.soft, Hard: u.hard }));
  if (o.cgroupParent) meta.cgroupParent = o.cgroupParent;
  if (o.validExitCodes) meta.validExitCodes = [...o.validExitCodes];
  if (o.proxyEnv) meta.proxyEnv = { ...o.proxyEnv };

  const vertex = new ExecVertex(
    Object.freeze(meta),
    o.network ?? base.getNetwork(),
    o.security ?? base.getSecurity(),
    Object.freeze(placed),
    secrets.length > 0 ? Object.freeze(secrets) : NONE,
    sshs.length > 0 ? Object.freeze(sshs) : NONE,
    o.secretEnv && o.secretEnv.length > 0 ? Object.freeze([...o.secretEnv]) : NONE,
    base.getPlatform(),
    pickOpOptions(o),
  );
  return new ExecState(vertex, base);
}
