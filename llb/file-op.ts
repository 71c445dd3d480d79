// FileOp: a chain of file actions applied to one state, like Go's
// state.File(llb.Mkdir(...).Mkfile(...)). Each action's input is the previous
// action's result; only the last action is exported (output 0). Copy sources
// become extra inputs. Paths are resolved when file() is called.

import type * as pb from "../proto/llb.js";
import { Caps, internCaps } from "./caps.js";
import { LlbError, invalidArgument } from "./errors.js";
import { timestampNanos, type FileAction, type Owner, type UserOrGroup } from "./file-actions.js";
import { cleanPath, isAbsPath, joinPath } from "./paths.js";
import type { State } from "./state.js";
import { pickOpOptions, resolveInputs, uniqueOutputs, type MarshalContext, type MarshalledOp, type OpOptions, type Output, type Vertex } from "./vertex.js";

export type { FileAction } from "./file-actions.js";

/** A pb.FileAction without its input indexes: the one set member of the oneof. */
type ActionBody = Omit<pb.FileAction, "input" | "secondaryInput" | "output">;

/** An action with absolute paths and wire values, ready to marshal. */
interface ResolvedAction {
  readonly secondary: Output | undefined;
  /**
   * Built once, when file() is called; a function of the base input's index
   * only when an owner is a name (looked up in that input's /etc/passwd).
   * Thousands of actions live until marshal: a closure each cost a context too.
   */
  readonly body: ActionBody | ((base: number) => ActionBody);
  readonly caps: readonly string[];
}

function needsBase(v: UserOrGroup | undefined): boolean {
  return typeof v === "string" && !/^[0-9]+$/.test(v);
}

function bodyOf(owner: Owner | undefined, make: (base: number) => ActionBody): ResolvedAction["body"] {
  return owner && (needsBase(owner.user) || needsBase(owner.group)) ? make : make(-1);
}

/** Shared by the many actions that need no cap beyond file.base (every action is retained until marshal). */
const NO_CAPS: readonly string[] = Object.freeze([]);

function relativeError(what: string, p: string): LlbError {
  return new LlbError(
    "RELATIVE_PATH_WITHOUT_CWD",
    `${what} "${p}" is relative but the state has no working directory; use an absolute path or set one with .dir()`,
  );
}

/** Go's normalizePath: absolute against `parent`, optionally keeping a trailing "/" or "/.". */
function normalizePath(what: string, parent: string | undefined, p: string, keepSlash: boolean): string {
  let out = cleanPath(p);
  if (!isAbsPath(out)) {
    if (parent === undefined) throw relativeError(what, p);
    out = joinPath("/", parent, out);
  }
  if (keepSlash) {
    if (p.endsWith("/") && !out.endsWith("/")) out += "/";
    else if (p.endsWith("/.")) out = (out === "/" ? out : out + "/") + ".";
  }
  return out;
}

function userOpt(v: UserOrGroup | undefined, base: number): pb.UserOpt | undefined {
  if (v === undefined) return undefined;
  if (typeof v === "number") return { byID: v };
  if (/^[0-9]+$/.test(v)) return { byID: Number(v) };
  return { byName: { name: v, input: base } };
}

function checkOwner(owner: Owner | undefined, baseIsScratch: boolean): void {
  if (!owner) return;
  for (const v of [owner.user, owner.group]) {
    if (typeof v === "number" && (!Number.isInteger(v) || v < 0 || v > 0xffffffff)) {
      throw invalidArgument(`owner: invalid id ${v}`);
    }
    if (typeof v === "string" && v === "") throw invalidArgument("owner: empty user or group name");
    if (typeof v === "string" && !/^[0-9]+$/.test(v) && baseIsScratch) {
      throw invalidArgument(`owner: "${v}" is a name, but the base state is scratch and has no /etc/passwd to look it up in; use a numeric id`);
    }
  }
}

function chown(owner: Owner | undefined, base: number): pb.ChownOpt | undefined {
  if (!owner) return undefined;
  const out: pb.ChownOpt = {};
  const user = userOpt(owner.user, base);
  const group = userOpt(owner.group, base);
  if (user) out.user = user;
  if (group) out.group = group;
  return out;
}

function resolve(a: FileAction, base: State): ResolvedAction {
  const cwd = base.getDir();
  const scratchBase = base.isScratch();
  switch (a.kind) {
    case "mkdir": {
      checkOwner(a.options.owner, scratchBase);
      const path = normalizePath("mkdir path", cwd, a.path, false);
      const timestamp = timestampNanos(a.options.timestamp);
      const { makeParents, owner } = a.options;
      return {
        secondary: undefined,
        caps: NO_CAPS,
        body: bodyOf(owner, (b) => ({ mkdir: { path, mode: a.mode & 0o777, makeParents: makeParents ?? false, ...opt("owner", chown(owner, b)), timestamp } })),
      };
    }
    case "mkfile": {
      checkOwner(a.options.owner, scratchBase);
      const path = normalizePath("mkfile path", cwd, a.path, false);
      const timestamp = timestampNanos(a.options.timestamp);
      const { owner } = a.options;
      return {
        secondary: undefined,
        caps: NO_CAPS,
        body: bodyOf(owner, (b) => ({ mkfile: { path, mode: a.mode & 0o777, data: a.data, ...opt("owner", chown(owner, b)), timestamp } })),
      };
    }
    case "rm": {
      const path = normalizePath("rm path", cwd, a.path, false);
      const { allowNotFound, allowWildcard } = a.options;
      return {
        secondary: undefined,
        caps: allowWildcard ? [Caps.fileRmWildcard] : NO_CAPS,
        body: { rm: { path, allowNotFound: allowNotFound ?? false, allowWildcard: allowWildcard ?? false } },
      };
    }
    case "symlink": {
      checkOwner(a.options.owner, scratchBase);
      // Written as given, like Go: the target may legitimately be relative.
      const timestamp = timestampNanos(a.options.timestamp);
      const { owner } = a.options;
      return {
        secondary: undefined,
        caps: [Caps.fileSymlinkCreate],
        body: bodyOf(owner, (b) => ({ symlink: { oldpath: a.oldpath, newpath: a.newpath, ...opt("owner", chown(owner, b)), timestamp } })),
      };
    }
    case "copy": {
      const o = a.options;
      checkOwner(o.owner, scratchBase);
      let src = cleanPath(a.src);
      if (!isAbsPath(src)) {
        const srcDir = a.source.getDir();
        if (srcDir === undefined) throw relativeError("copy source", a.src);
        src = joinPath(srcDir, src);
      }
      const dest = normalizePath("copy destination", cwd, a.dest, true);
      const timestamp = timestampNanos(o.timestamp);
      const caps: string[] = [];
      if ((o.includePatterns?.length ?? 0) > 0 || (o.excludePatterns?.length ?? 0) > 0) caps.push(Caps.fileCopyIncludeExcludePatterns);
      if (o.alwaysReplaceExistingDestPaths) caps.push(Caps.fileCopyAlwaysReplaceExistingDestPaths);
      if (o.modeStr) caps.push(Caps.fileCopyModeString);
      return {
        secondary: a.source.output,
        caps: caps.length > 0 ? caps : NO_CAPS,
        body: bodyOf(o.owner, (b) => ({
          copy: {
            src,
            dest,
            ...opt("owner", chown(o.owner, b)),
            // -1 keeps the source's mode; modeStr, when given, overrides mode.
            mode: o.modeStr ? 0 : (o.mode ?? -1),
            followSymlink: o.followSymlinks ?? false,
            dirCopyContents: o.copyDirContentsOnly ?? false,
            attemptUnpackDockerCompatibility: o.attemptUnpack ?? false,
            createDestPath: o.createDestPath ?? false,
            allowWildcard: o.allowWildcard ?? false,
            allowEmptyWildcard: o.allowEmptyWildcard ?? false,
            timestamp,
            includePatterns: o.includePatterns ?? [],
            excludePatterns: o.excludePatterns ?? [],
            alwaysReplaceExistingDestPaths: o.alwaysReplaceExistingDestPaths ?? false,
            modeStr: o.modeStr ?? "",
          },
        })),
      };
    }
  }
}

function opt<K extends string, V>(key: K, v: V | undefined): { [P in K]?: V } {
  return (v === undefined ? {} : { [key]: v }) as { [P in K]?: V };
}

const EMPTY_CONSTRAINTS: pb.WorkerConstraints = Object.freeze({});
const FILE_BASE_CAPS = internCaps([Caps.fileBase]);

class FileVertex implements Vertex {
  readonly kind = "file";
  /** DFS order (Go walks from the last action back): base, then copy sources newest first. */
  readonly inputs: readonly Output[];
  readonly caps: readonly string[];
  /** Op.inputs order (Go adds them first action first): base, then copy sources. */
  readonly #opInputs: readonly Output[];

  constructor(
    readonly base: Output | undefined,
    readonly actions: readonly ResolvedAction[],
    readonly options: OpOptions,
  ) {
    const secondaries = actions.map((a) => a.secondary);
    this.inputs = uniqueOutputs([base, ...secondaries.slice().reverse()]);
    this.#opInputs = uniqueOutputs([base, ...secondaries]);
    this.caps = actions.every((a) => a.caps.length === 0) ? FILE_BASE_CAPS : internCaps([Caps.fileBase, ...actions.flatMap((a) => a.caps)]);
    Object.freeze(this);
  }

  marshal(ctx: MarshalContext): MarshalledOp {
    const { inputs, remap } = resolveInputs(ctx, this.#opInputs);
    const actions = this.build(remap, inputs.length);
    // FileOp is not platform specific: no platform, like Go.
    return { op: { inputs, constraints: EMPTY_CONSTRAINTS, file: { actions } }, caps: this.caps };
  }

  private build(remap: readonly number[] | undefined, n: number): readonly pb.FileAction[] {
    const indexOf = (o: Output | undefined): number => {
      if (!o) return -1;
      const i = this.#opInputs.findIndex((x) => x.vertex === o.vertex && x.index === o.index);
      return remap?.[i] ?? i;
    };
    const base = indexOf(this.base);
    const last = this.actions.length - 1;
    return this.actions.map((a, j) => {
      const body = typeof a.body === "function" ? a.body(base) : a.body;
      // Every member named, so all FileActions share one shape; the encoder
      // skips undefined members (the cast: exactOptionalPropertyTypes).
      return {
        // Indexes >= len(inputs) name the result of an earlier action.
        input: j === 0 ? base : n + j - 1,
        secondaryInput: indexOf(a.secondary),
        output: j === last ? 0 : -1,
        copy: body.copy,
        mkfile: body.mkfile,
        mkdir: body.mkdir,
        rm: body.rm,
        symlink: body.symlink,
      } as pb.FileAction;
    });
  }
}

export function fileOp(base: State, actions: readonly FileAction[], options: OpOptions): State {
  if (actions.length === 0) throw invalidArgument("file: at least one action is required");
  const resolved = actions.map((a) => resolve(a, base));
  return base.withOutput({ vertex: new FileVertex(base.output, Object.freeze(resolved), pickOpOptions(options)), index: 0 });
}
