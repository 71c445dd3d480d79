// Typed runners for the docker CLI and `docker buildx build`, bound to one test daemon.
import { delimiter } from "node:path";
import type { Daemon } from "./daemon.js";
import { run, type RunOptions, type RunResult } from "./run.js";

/** The environment that points a docker client at `daemon` (and finds its own CLI first). */
export function daemonEnv(daemon: Daemon, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DOCKER_HOST: daemon.dockerHost,
    DOCKER_CONFIG: daemon.dockerConfig,
    PATH: `${daemon.binDir}${delimiter}${process.env["PATH"] ?? ""}`,
    ...extra,
  };
}

export interface DockerOptions extends Omit<RunOptions, "env"> {
  /** Added to the daemon's environment. */
  readonly env?: NodeJS.ProcessEnv;
}

/** `docker ARGS…` against `daemon`; throws RunError on a non-zero exit unless `check: false`. */
export function docker(daemon: Daemon, args: readonly string[], opts: DockerOptions = {}): Promise<RunResult> {
  return run([`${daemon.binDir}/docker`, ...args], { ...opts, env: daemonEnv(daemon, opts.env) });
}

export interface BuildxOptions {
  /** Build context directory (the positional argument). */
  readonly context: string;
  /** Build file (-f); default: Dockerfile in the context. */
  readonly file?: string;
  readonly buildArgs?: Readonly<Record<string, string>>;
  readonly labels?: Readonly<Record<string, string>>;
  /** --build-context NAME=VALUE (a directory, docker-image://…, oci-layout://…, …). */
  readonly buildContexts?: Readonly<Record<string, string>>;
  /** --output values, e.g. "type=local,dest=/tmp/out". */
  readonly outputs?: readonly string[];
  readonly tags?: readonly string[];
  /** --load into the daemon's image store. */
  readonly load?: boolean;
  readonly noCache?: boolean;
  readonly platform?: string;
  readonly target?: string;
  /** Default false: attestations make the result an index, which most tests do not want. */
  readonly provenance?: boolean;
  readonly extraArgs?: readonly string[];
  readonly timeoutMs?: number;
  /** When false, a failing build resolves (to inspect its output) instead of throwing. */
  readonly check?: boolean;
}

/** The argv after `docker` for a build; exported so tests can show exactly what ran. */
export function buildxArgs(o: BuildxOptions): string[] {
  const args = ["buildx", "build", "--progress=plain", `--provenance=${o.provenance ?? false}`];
  if (o.file !== undefined) args.push("-f", o.file);
  for (const [k, v] of Object.entries(o.buildArgs ?? {})) args.push("--build-arg", `${k}=${v}`);
  for (const [k, v] of Object.entries(o.labels ?? {})) args.push("--label", `${k}=${v}`);
  for (const [k, v] of Object.entries(o.buildContexts ?? {})) args.push("--build-context", `${k}=${v}`);
  for (const out of o.outputs ?? []) args.push("--output", out);
  for (const t of o.tags ?? []) args.push("-t", t);
  if (o.load === true) args.push("--load");
  if (o.noCache === true) args.push("--no-cache");
  if (o.platform !== undefined) args.push("--platform", o.platform);
  if (o.target !== undefined) args.push("--target", o.target);
  args.push(...(o.extraArgs ?? []), o.context);
  return args;
}

/**
 * `docker buildx build` on `daemon`. BuildKit writes its progress (and a failing build's error)
 * to stderr; with `check: false` a failed build resolves so its stderr can be asserted on.
 */
export function buildx(daemon: Daemon, o: BuildxOptions): Promise<RunResult> {
  const opts: DockerOptions = { timeoutMs: o.timeoutMs ?? 600_000, ...(o.check === undefined ? {} : { check: o.check }) };
  return docker(daemon, buildxArgs(o), opts);
}
