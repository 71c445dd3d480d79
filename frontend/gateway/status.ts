// Errors in and out of the gateway, converted in exactly one place.
//
// In: a failed call becomes a GatewayError holding the daemon's google.rpc.Status
// as it arrived (grpc-status-details-bin), so it can go back untouched.
// Out: whatever the build function threw becomes the `error` of ReturnRequest:
//  - a GatewayError (or an error caused by one) → its Status, byte for byte, as
//    Go's grpcerrors.ToGRPC keeps a wrapped status;
//  - a UserError → code Unknown (2, what Go gives errors without a code: buildx
//    then prints the message without a code prefix) with one
//    `errdefs.Source+json` detail per located problem, so buildx prints the snippet;
//  - anything else → Unknown with the message only (the stack goes to stderr).

import type { ServiceError } from "@grpc/grpc-js";
import { UserError, type Problem, type SourceFile } from "../errors.js";
import { encodeMessage, encodeReturnRequestWithRawStatus, decodeMessage, type Any, type Status } from "../../proto/gateway.js";

export const GRPC_CODE_UNKNOWN = 2;
// The gRPC codes the build function tells apart (google.rpc.Code).
export const GRPC_CANCELLED = 1;
export const GRPC_DEADLINE_EXCEEDED = 4;
export const GRPC_NOT_FOUND = 5;
export const GRPC_UNAVAILABLE = 14;
export const SOURCE_DETAIL_TYPE_URL = "github.com/moby/buildkit/errdefs.Source+json";

/** A failed LLBBridge call, carrying the daemon's status (code, message, typed details). */
export class GatewayError extends Error {
  override readonly name = "GatewayError";
  constructor(
    readonly method: string,
    readonly status: Status,
    /** The encoded google.rpc.Status exactly as received, for pass-through. */
    readonly statusBytes: Uint8Array,
  ) {
    super(status.message);
  }

  get code(): number {
    return this.status.code;
  }

  static fromServiceError(method: string, err: ServiceError): GatewayError {
    const raw = err.metadata?.get("grpc-status-details-bin")[0];
    if (raw instanceof Uint8Array && raw.length > 0) {
      return new GatewayError(method, decodeMessage("Status", raw), new Uint8Array(raw));
    }
    // No typed details (or a client-side failure such as a size limit): keep code and text.
    const status: Status = { code: err.code, message: err.details || err.message, details: [] };
    return new GatewayError(method, status, encodeMessage("Status", status));
  }
}

/** The JSON value of BuildKit's errdefs.Source for one problem (Go encoding/json of the generated struct). */
export function sourceDetail(problem: Problem, file: SourceFile): Any | undefined {
  if (!problem.span) return undefined;
  const value = {
    info: { filename: file.name, data: Buffer.from(file.data).toString("base64"), language: file.language },
    ranges: [{ start: { line: problem.span.start.line }, end: { line: problem.span.end.line } }],
  };
  return { type_url: SOURCE_DETAIL_TYPE_URL, value: Buffer.from(JSON.stringify(value)) };
}

export function userErrorStatus(err: UserError): Status {
  const details = err.file ? err.problems.flatMap((p) => sourceDetail(p, err.file as SourceFile) ?? []) : [];
  return { code: GRPC_CODE_UNKNOWN, message: err.message, details };
}

function causes(err: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e = err; e !== undefined && e !== null && chain.length < 32; e = (e as { cause?: unknown }).cause) {
    chain.push(e);
    if (typeof e !== "object") break;
  }
  return chain;
}

/** The encoded ReturnRequest that reports `err` to BuildKit. */
export function returnRequestForError(err: unknown): Uint8Array {
  const chain = causes(err);
  const gateway = chain.find((e): e is GatewayError => e instanceof GatewayError);
  const user = chain.find((e): e is UserError => e instanceof UserError);
  // The first typed error in the chain decides, as Go's errors.As would.
  if (gateway && (!user || chain.indexOf(gateway) < chain.indexOf(user))) {
    return encodeReturnRequestWithRawStatus(gateway.statusBytes);
  }
  if (user) return encodeMessage("ReturnRequest", { error: userErrorStatus(user) });
  const message = err instanceof Error ? err.message : String(err);
  return encodeMessage("ReturnRequest", { error: { code: GRPC_CODE_UNKNOWN, message: message || "unknown error" } });
}
