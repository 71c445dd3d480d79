// State: an immutable value naming one output of the graph (or scratch) plus
// the metadata that later ops inherit (env, working dir, user, platform,
// network, security, hostname, extra hosts). Every setter returns a new State;
// nothing is ever mutated, so a State can be shared and derived from freely.

import { LlbError, invalidArgument } from "./errors.js";
import { runExec, type ExecState, type RunOptions } from "./exec.js";
import { fileOp, type FileAction } from "./file-op.js";
import { asPlatform, type Platform } from "./platform.js";
import { joinPath } from "./paths.js";
import type { OpOptions, Output } from "./vertex.js";

export type NetworkMode = "sandbox" | "host" | "none";
export type SecurityMode = "sandbox" | "insecure";

export interface HostIP {
  readonly host: string;
  readonly ip: string;
}

export interface StateMeta {
  /** Environment as ordered key/value pairs (a replaced key keeps its place). */
  readonly env: readonly (readonly [string, string])[];
  readonly cwd?: string;
  readonly user?: string;
  readonly platform?: Platform;
  readonly network?: NetworkMode;
  readonly security?: SecurityMode;
  readonly hostname?: string;
  readonly extraHosts?: readonly HostIP[];
}

const emptyMeta: StateMeta = Object.freeze({ env: Object.freeze([]) });

function validEnvKey(key: string): void {
  if (key === "" || key.includes("=")) {
    throw invalidArgument(`invalid environment variable name "${key}": it must be non-empty and contain no "="`);
  }
}

export class State {
  /** The output this state names; undefined for scratch (an empty filesystem). */
  readonly output: Output | undefined;
  readonly meta: StateMeta;

  /** Use scratch(), image(), local()… or fromOutput(); the constructor is an implementation detail. */
  constructor(output: Output | undefined, meta: StateMeta = emptyMeta) {
    this.output = output;
    this.meta = meta;
    Object.freeze(this);
  }

  isScratch(): boolean {
    return this.output === undefined;
  }

  /** The same metadata pointing at another output (Go's WithOutput). */
  withOutput(output: Output | undefined): State {
    return new State(output, this.meta);
  }

  private with(meta: Partial<StateMeta>): State {
    return new State(this.output, Object.freeze({ ...this.meta, ...meta }));
  }

  // --- environment -------------------------------------------------------

  /** `KEY=value` strings, in order. */
  env(): readonly string[] {
    return this.meta.env.map(([k, v]) => `${k}=${v}`);
  }

  getEnv(key: string): string | undefined {
    return this.meta.env.find(([k]) => k === key)?.[1];
  }

  addEnv(key: string, value: string): State {
    validEnvKey(key);
    const env = this.meta.env.slice();
    const i = env.findIndex(([k]) => k === key);
    if (i >= 0) env[i] = [key, value];
    else env.push([key, value]);
    return this.with({ env: Object.freeze(env) });
  }

  delEnv(key: string): State {
    return this.with({ env: Object.freeze(this.meta.env.filter(([k]) => k !== key)) });
  }

  // --- working directory, user, platform, network ---------------------------

  /** Sets the working directory; a relative path is joined to the current one. */
  dir(path: string): State {
    if (!path.startsWith("/")) {
      if (this.meta.cwd === undefined) {
        throw new LlbError(
          "RELATIVE_PATH_WITHOUT_CWD",
          `dir("${path}"): a relative working directory needs a current one; use an absolute path`,
        );
      }
      return this.with({ cwd: joinPath(this.meta.cwd, path) });
    }
    return this.with({ cwd: joinPath("/", path) });
  }

  getDir(): string | undefined {
    return this.meta.cwd;
  }

  user(user: string): State {
    return this.with({ user });
  }

  getUser(): string | undefined {
    return this.meta.user;
  }

  platform(platform: Platform | string): State {
    return this.with({ platform: asPlatform(platform) });
  }

  getPlatform(): Platform | undefined {
    return this.meta.platform;
  }

  network(mode: NetworkMode): State {
    return this.with({ network: mode });
  }

  getNetwork(): NetworkMode {
    return this.meta.network ?? "sandbox";
  }

  security(mode: SecurityMode): State {
    return this.with({ security: mode });
  }

  getSecurity(): SecurityMode {
    return this.meta.security ?? "sandbox";
  }

  hostname(name: string): State {
    return this.with({ hostname: name });
  }

  getHostname(): string | undefined {
    return this.meta.hostname;
  }

  addExtraHost(host: string, ip: string): State {
    return this.with({ extraHosts: Object.freeze([...(this.meta.extraHosts ?? []), { host, ip }]) });
  }

  // --- ops -------------------------------------------------------------------

  /** Runs a command with this state as the root filesystem (ExecOp). */
  run(options: RunOptions): ExecState {
    return runExec(this, options);
  }

  /** Applies file actions, in order, to this state (one FileOp). */
  file(actions: readonly FileAction[], options: OpOptions = {}): State {
    return fileOp(this, actions, options);
  }
}

/** An empty filesystem. */
export function scratch(): State {
  return new State(undefined);
}
