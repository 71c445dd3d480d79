// Typed unary calls on the LLBBridge service. Every failure becomes a
// GatewayError that keeps the daemon's status (see status.ts).

import type * as grpc from "@grpc/grpc-js";
import {
  decodeMessage,
  encodeMessage,
  LLB_BRIDGE_METHODS,
  methodPath,
  type LLBBridgeMethod,
  type MessageInit,
  type RequestOf,
  type ResponseOf,
} from "../../proto/gateway.js";
import { GatewayError } from "./status.js";

export interface CallOptions {
  readonly deadline?: Date;
}

export class Bridge {
  constructor(readonly channel: grpc.Client) {}

  call<M extends LLBBridgeMethod>(method: M, request: MessageInit<RequestOf<M>>, options?: CallOptions): Promise<ResponseOf<M>> {
    const bytes = encodeMessage(LLB_BRIDGE_METHODS[method].request, request as never);
    return this.callEncoded(method, bytes, options);
  }

  /** Sends an already encoded request (Return with a pass-through status). */
  callEncoded<M extends LLBBridgeMethod>(method: M, request: Uint8Array, options: CallOptions = {}): Promise<ResponseOf<M>> {
    const responseName = LLB_BRIDGE_METHODS[method].response;
    return new Promise((resolve, reject) => {
      this.channel.makeUnaryRequest(
        methodPath(method),
        (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength),
        (b: Buffer) => decodeMessage(responseName, b) as ResponseOf<M>,
        request,
        options.deadline ? { deadline: options.deadline } : {},
        (err, value) => {
          if (err) reject(GatewayError.fromServiceError(method, err));
          else resolve(value as ResponseOf<M>);
        },
      );
    });
  }
}
