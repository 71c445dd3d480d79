// The gateway runtime's public surface.
export { run } from "./run.js";
export type { BuildFunction, RunOptions } from "./run.js";
export { GatewayClient } from "./client.js";
export type { ImageConfigResult, Reference, ResolveImageConfigOptions, SolveRequest, SolveResult, Warning } from "./client.js";
export { ResultBuilder, ResultError } from "./result.js";
export type { FrontendResult, InTotoAttestation } from "./result.js";
export { BuildOptions, OptionError, parseFrontendOpts } from "./options.js";
export type { ResolveMode } from "./options.js";
export { CapSet, CapabilityError, minimumVersion } from "./caps.js";
export { GatewayError, GRPC_CANCELLED, GRPC_DEADLINE_EXCEEDED, GRPC_NOT_FOUND, GRPC_UNAVAILABLE } from "./status.js";
export { formatPlatform, hostPlatform, normalizePlatform, parsePlatform, platformToOciJson, PlatformParseError } from "./platforms.js";
export type { Platform } from "./platforms.js";
export type { PbCodec, SourceInfoInit, SourceOpInit } from "./codec.js";
export type { WorkerInfo } from "./workers.js";
export type { Stat } from "../../proto/gateway.js";
