// The five file actions as a tagged union, with one constructor each (Go's
// llb.Mkdir, Mkfile, Rm, Symlink, Copy). They are plain values; state.file()
// resolves their paths against the state they are applied to.

import { invalidArgument } from "./errors.js";
import type { State } from "./state.js";

/** A user or group: a numeric id, or a name looked up in the base state's /etc/passwd or /etc/group. */
export type UserOrGroup = number | string;

export interface Owner {
  readonly user?: UserOrGroup;
  readonly group?: UserOrGroup;
}

/**
 * A file time: Unix nanoseconds as a bigint (exact; ~1.7e18 today does not fit
 * a double), or a Date (millisecond precision). See timestampFromSeconds.
 */
export type Timestamp = bigint | Date;

export interface MkdirOptions {
  readonly makeParents?: boolean;
  readonly owner?: Owner;
  readonly timestamp?: Timestamp;
}

export interface MkfileOptions {
  readonly owner?: Owner;
  readonly timestamp?: Timestamp;
}

export interface RmOptions {
  readonly allowNotFound?: boolean;
  readonly allowWildcard?: boolean;
}

export interface SymlinkOptions {
  readonly owner?: Owner;
  readonly timestamp?: Timestamp;
}

export interface CopyOptions {
  readonly owner?: Owner;
  /** Permission bits for the copied files; default keeps the source's. */
  readonly mode?: number;
  /** A chmod-style mode such as `u+x` or `0755` (BuildKit >= 0.17); overrides `mode`. */
  readonly modeStr?: string;
  readonly timestamp?: Timestamp;
  readonly followSymlinks?: boolean;
  /** Copy the contents of a source directory rather than the directory itself. */
  readonly copyDirContentsOnly?: boolean;
  readonly attemptUnpack?: boolean;
  readonly createDestPath?: boolean;
  readonly allowWildcard?: boolean;
  readonly allowEmptyWildcard?: boolean;
  readonly includePatterns?: readonly string[];
  readonly excludePatterns?: readonly string[];
  readonly alwaysReplaceExistingDestPaths?: boolean;
}

export interface MkdirAction {
  readonly kind: "mkdir";
  readonly path: string;
  readonly mode: number;
  readonly options: MkdirOptions;
}

export interface MkfileAction {
  readonly kind: "mkfile";
  readonly path: string;
  readonly mode: number;
  readonly data: Uint8Array;
  readonly options: MkfileOptions;
}

export interface RmAction {
  readonly kind: "rm";
  readonly path: string;
  readonly options: RmOptions;
}

export interface SymlinkAction {
  readonly kind: "symlink";
  /** What the link points to, written as given (it may be relative). */
  readonly oldpath: string;
  /** The link itself. */
  readonly newpath: string;
  readonly options: SymlinkOptions;
}

export interface CopyAction {
  readonly kind: "copy";
  readonly source: State;
  readonly src: string;
  readonly dest: string;
  readonly options: CopyOptions;
}

export type FileAction = MkdirAction | MkfileAction | RmAction | SymlinkAction | CopyAction;

function checkMode(what: string, mode: number): number {
  if (!Number.isInteger(mode) || mode < 0 || mode > 0o7777) {
    throw invalidArgument(`${what}: invalid mode ${mode} (expected permission bits such as 0o755)`);
  }
  return mode;
}

function nonEmptyPath(what: string, p: string): string {
  if (p === "") throw invalidArgument(`${what}: path must not be empty`);
  return p;
}

export function mkdir(path: string, mode: number, options: MkdirOptions = {}): MkdirAction {
  return Object.freeze({ kind: "mkdir", path: nonEmptyPath("mkdir", path), mode: checkMode("mkdir", mode), options });
}

const utf8 = new TextEncoder();

export function mkfile(path: string, mode: number, data: Uint8Array | string, options: MkfileOptions = {}): MkfileAction {
  const bytes = typeof data === "string" ? utf8.encode(data) : data;
  return Object.freeze({ kind: "mkfile", path: nonEmptyPath("mkfile", path), mode: checkMode("mkfile", mode), data: bytes, options });
}

export function rm(path: string, options: RmOptions = {}): RmAction {
  return Object.freeze({ kind: "rm", path: nonEmptyPath("rm", path), options });
}

export function symlink(oldpath: string, newpath: string, options: SymlinkOptions = {}): SymlinkAction {
  return Object.freeze({
    kind: "symlink",
    oldpath: nonEmptyPath("symlink target", oldpath),
    newpath: nonEmptyPath("symlink", newpath),
    options,
  });
}

/** Copies `src` (in `source`) to `dest` (in the state the action is applied to). */
export function copy(source: State, src: string, dest: string, options: CopyOptions = {}): CopyAction {
  if (options.mode !== undefined && options.modeStr !== undefined) {
    throw invalidArgument("copy: give either mode or modeStr, not both");
  }
  if (options.mode !== undefined) checkMode("copy", options.mode);
  return Object.freeze({ kind: "copy", source, src: nonEmptyPath("copy source", src), dest: nonEmptyPath("copy destination", dest), options });
}

/** Whole seconds since the Unix epoch as a Timestamp (e.g. SOURCE_DATE_EPOCH). */
export function timestampFromSeconds(seconds: number | bigint): bigint {
  if (typeof seconds === "number" && !Number.isSafeInteger(seconds)) {
    throw invalidArgument(`timestamp: ${seconds} is not a whole number of seconds`);
  }
  return BigInt(seconds) * 1_000_000_000n;
}

/** One shared value: each evaluation of a `-1n` literal allocates a BigInt, and every action keeps one. */
const UNSET = -1n;

/** Nanoseconds for the wire; -1 means "not set" to BuildKit. */
export function timestampNanos(t: Timestamp | undefined): bigint {
  if (t === undefined) return UNSET;
  if (typeof t === "bigint") {
    if (t < 0n) throw invalidArgument(`timestamp: ${t} is before 1970; BuildKit reserves -1 for "unset"`);
    return t;
  }
  const ms = t.getTime();
  if (Number.isNaN(ms)) throw invalidArgument("timestamp: invalid Date");
  if (ms < 0) throw invalidArgument(`timestamp: ${t.toISOString()} is before 1970`);
  return BigInt(ms) * 1_000_000n;
}
