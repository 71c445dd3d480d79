// speck's LLB builder: BuildKit's client/llb, in TypeScript, byte for byte.
//
//   import { image, local, scratch, mount, mkdir, mkfile, copy, marshal, encodeDefinition } from "../llb/index.js";
//
//   const base = image("alpine:3.20", { platform: "linux/amd64" });          // docker.io/library/alpine:3.20
//   const src = local("context", { sessionId, sharedKeyHint: "context", excludePatterns: ["node_modules"] });
//   const built = base
//     .dir("/src")
//     .run({
//       args: ["cc", "-static", "-o", "/out/app", "main.c"],
//       mounts: [
//         mount.bind("/src", src, { readonly: true }),
//         mount.bind("/out", scratch()),                                      // an empty, writable output dir
//         mount.cache("/root/.cache", "ccache", { sharing: "locked" }),
//       ],
//       customName: "compile",
//     });
//   const app = built.getMount("/out");                                       // only writable binds have outputs
//   const final = scratch().file([mkdir("/etc", 0o755), mkfile("/etc/passwd", 0o644, "app:x:1000:1000::/:\n"),
//                                 copy(app, "/app", "/app")]);
//   const bytes = encodeDefinition(marshal(final, { platform: "linux/amd64" })); // SolveRequest.definition
//
// States are immutable values; every method returns a new one. Misuse throws
// LlbError (with a `code`) at the call that made it.

export { Caps } from "./caps.js";
export {
  decodeDefinition,
  decodeSourceOp,
  decodePlatform,
  definitionCaps,
  encodeDefinition,
  encodePlatform,
  encodeRange,
  encodeSourceInfo,
  encodeSourceOp,
  fromDefinition,
  sourceOpOf,
} from "./definition.js";
export { digestOf } from "./digest.js";
export { diff } from "./diff.js";
export { LlbError } from "./errors.js";
export { ExecState } from "./exec.js";
export { copy, mkdir, mkfile, rm, symlink, timestampFromSeconds } from "./file-actions.js";
export { normalizeImageRef, parseImageReference } from "./image-ref.js";
export { marshal } from "./marshal.js";
export { merge } from "./merge.js";
export { mount } from "./mounts.js";
export { formatPlatform, normalizePlatform, parsePlatform } from "./platform.js";
export { git, http, image, local } from "./source.js";
export { State, scratch } from "./state.js";
export { toJSON } from "./to-json.js";

export type { CapID } from "./caps.js";
export type { Definition } from "./definition.js";
export type { LlbErrorCode } from "./errors.js";
export type { ProxyEnv, RunOptions, SecretEnv, Ulimit } from "./exec.js";
export type {
  CopyAction,
  CopyOptions,
  FileAction,
  MkdirAction,
  MkdirOptions,
  MkfileAction,
  MkfileOptions,
  Owner,
  RmAction,
  RmOptions,
  SymlinkAction,
  SymlinkOptions,
  Timestamp,
  UserOrGroup,
} from "./file-actions.js";
export type { ImageReference } from "./image-ref.js";
export type { MarshalOptions } from "./marshal.js";
export type {
  BindMount,
  BindOptions,
  CacheMount,
  CacheOptions,
  CacheSharing,
  Mount,
  OwnerModeOptions,
  SecretMount,
  SshMount,
  SshOptions,
  TmpfsMount,
} from "./mounts.js";
export type { Platform } from "./platform.js";
export type { GitOptions, HttpOptions, ImageConfig, ImageOptions, LocalOptions } from "./source.js";
export type { HostIP, NetworkMode, SecurityMode, StateMeta } from "./state.js";
export type { OpJSON } from "./to-json.js";
export type { OpOptions, ProgressGroup, SourceInfo, SourceLocation, SourcePosition, SourceRange } from "./vertex.js";
