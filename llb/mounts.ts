// Mounts of an ExecOp, as a tagged union with one constructor per variant:
//   mount.bind("/src", ctx, { readonly: true })
//   mount.cache("/root/.cache", "ccache", { sharing: "locked" })
//   mount.tmpfs("/tmp", { size: 64 << 20 })
//   mount.secret("/run/secrets/token", "token")
//   mount.ssh()
// Only a writable bind mount has an output (ExecState.getMount).

import { invalidArgument } from "./errors.js";
import type { State } from "./state.js";

export type CacheSharing = "shared" | "private" | "locked";

export interface BindMount {
  readonly kind: "bind";
  readonly dest: string;
  /** What to mount; scratch gives an empty directory (a typical output dir). */
  readonly source: State;
  /** Sub-path of the source to mount. */
  readonly selector?: string;
  readonly readonly?: boolean;
}

export interface CacheMount {
  readonly kind: "cache";
  readonly dest: string;
  readonly id: string;
  readonly sharing: CacheSharing;
  /** Initial contents of a new cache. */
  readonly source?: State;
  readonly selector?: string;
}

export interface TmpfsMount {
  readonly kind: "tmpfs";
  readonly dest: string;
  /** Size limit in bytes; 0 = the daemon's default. */
  readonly size: number;
}

export interface SecretMount {
  readonly kind: "secret";
  readonly dest: string;
  readonly id: string;
  readonly uid: number;
  readonly gid: number;
  readonly mode: number;
  readonly optional: boolean;
}

export interface SshMount {
  readonly kind: "ssh";
  /** Socket path; default `/run/buildkit/ssh_agent.<n>` (n = index among ssh mounts). */
  readonly dest: string | undefined;
  readonly id: string;
  readonly uid: number;
  readonly gid: number;
  readonly mode: number;
  readonly optional: boolean;
}

export type Mount = BindMount | CacheMount | TmpfsMount | SecretMount | SshMount;

function absolute(kind: string, dest: string): string {
  if (!dest.startsWith("/")) {
    throw invalidArgument(`${kind} mount target "${dest}" must be an absolute path`);
  }
  return dest;
}

function nonEmpty(what: string, v: string): string {
  if (v === "") throw invalidArgument(`${what} must not be empty`);
  return v;
}

export interface BindOptions {
  readonly selector?: string;
  readonly readonly?: boolean;
}

export interface CacheOptions {
  /** Default "shared", like BuildKit. */
  readonly sharing?: CacheSharing;
  readonly source?: State;
  readonly selector?: string;
}

export interface OwnerModeOptions {
  readonly uid?: number;
  readonly gid?: number;
  readonly mode?: number;
  readonly optional?: boolean;
}

export interface SshOptions extends OwnerModeOptions {
  readonly dest?: string;
  /** SSH agent id as given to `--ssh`; empty (the default) lets the daemon pick "default". */
  readonly id?: string;
}

export const mount = {
  bind(dest: string, source: State, options: BindOptions = {}): BindMount {
    return Object.freeze({
      kind: "bind" as const,
      dest: absolute("bind", dest),
      source,
      ...(options.selector ? { selector: options.selector } : {}),
      ...(options.readonly ? { readonly: true } : {}),
    });
  },

  cache(dest: string, id: string, options: CacheOptions = {}): CacheMount {
    return Object.freeze({
      kind: "cache" as const,
      dest: absolute("cache", dest),
      id: nonEmpty("cache mount id", id),
      sharing: options.sharing ?? "shared",
      ...(options.source ? { source: options.source } : {}),
      ...(options.selector ? { selector: options.selector } : {}),
    });
  },

  tmpfs(dest: string, options: { readonly size?: number } = {}): TmpfsMount {
    const size = options.size ?? 0;
    if (!Number.isSafeInteger(size) || size < 0) throw invalidArgument(`tmpfs size must be a non-negative integer, got ${size}`);
    return Object.freeze({ kind: "tmpfs" as const, dest: absolute("tmpfs", dest), size });
  },

  secret(dest: string, id: string, options: OwnerModeOptions = {}): SecretMount {
    return Object.freeze({
      kind: "secret" as const,
      dest: absolute("secret", dest),
      id: nonEmpty("secret id", id),
      uid: options.uid ?? 0,
      gid: options.gid ?? 0,
      mode: options.mode ?? 0o400,
      optional: options.optional ?? false,
    });
  },

  ssh(options: SshOptions = {}): SshMount {
    return Object.freeze({
      kind: "ssh" as const,
      dest: options.dest === undefined ? undefined : absolute("ssh", options.dest),
      id: options.id ?? "",
      uid: options.uid ?? 0,
      gid: options.gid ?? 0,
      mode: options.mode ?? 0o600,
      optional: options.optional ?? false,
    });
  },
};
