// Return may be called exactly once (BuildKit: "gateway result is already set"),
// with exactly one of result or error.

import { encodeMessage, type Attestation, type MessageInit, type Result } from "../../proto/gateway.js";
import type { Bridge } from "./bridge.js";
import type { CapSet } from "./caps.js";
import type { FrontendResult } from "./result.js";
import { returnRequestForError } from "./status.js";

export class ReturnOnce {
  private called = false;

  constructor(
    private readonly bridge: Bridge,
    private readonly caps: CapSet,
  ) {}

  get done(): boolean {
    return this.called;
  }

  /** Returns the result; throws (without sending) if Return was already called. */
  async result(res: FrontendResult): Promise<void> {
    return this.send(encodeMessage("ReturnRequest", { result: toPbResult(res, this.caps) }));
  }

  error(err: unknown): Promise<void> {
    return this.send(returnRequestForError(err));
  }

  private async send(request: Uint8Array): Promise<void> {
    if (this.called) throw new Error("Return was already called: a frontend returns exactly one result or error");
    this.called = true;
    await this.bridge.callEncoded("Return", request);
  }
}

function toPbResult(res: FrontendResult, caps: CapSet): MessageInit<Result> {
  return { ...toPbRefs(res, caps), ...toPbAttestations(res, caps) };
}

function toPbAttestations(res: FrontendResult, caps: CapSet): MessageInit<Result> {
  if (res.attestations === undefined || res.attestations.size === 0) return {};
  // Go's client refuses the same way (grpcclient: CapAttestations); v0.11+ has it.
  caps.require("reference.attestations", "returning attestations (--sbom)");
  const out: Record<string, MessageInit<{ attestation: Attestation[] }>> = {};
  for (const [platform, list] of res.attestations) {
    out[platform] = {
      attestation: list.map((a) => ({
        kind: 0, // InToto
        metadata: Object.fromEntries(a.metadata ?? []),
        ref: { id: a.ref.id },
        path: a.path,
        inTotoPredicateType: a.predicateType,
      })),
    };
  }
  return { attestations: out };
}

function toPbRefs(res: FrontendResult, caps: CapSet): MessageInit<Result> {
  const metadata = Object.fromEntries(res.metadata);
  // Pre-v0.8 daemons only know the string forms (Go does the same fallback).
  const refArray = caps.supports("proto.refarray");
  if (res.refs) {
    if (res.refs.size > 1) caps.require("returnmap", "returning more than one platform");
    const entries = [...res.refs].map(([k, r]) => [k, r?.id ?? ""] as const);
    return refArray
      ? { refs: { refs: Object.fromEntries(entries.map(([k, id]) => [k, { id }])) }, metadata }
      : { refsDeprecated: { refs: Object.fromEntries(entries) }, metadata };
  }
  const id = res.ref?.id ?? "";
  // The server reads only Ref.id in Return; "" is an empty image.
  return refArray ? { ref: { id }, metadata } : { refDeprecated: id, metadata };
}
