// Wire types the client API shows, re-exported from the proto seam.
import type { GatewayMessages, MessageInit } from "../../proto/gateway.js";

export type { CacheOptionsEntry, MessageInit, Result, Stat } from "../../proto/gateway.js";
export type WarnRequestInit = MessageInit<GatewayMessages["WarnRequest"]>;
