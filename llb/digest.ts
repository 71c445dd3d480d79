import { createHash } from "node:crypto";

/** `sha256:<hex>` of an op's bytes: its identity in a Definition. */
export function digestOf(bytes: Uint8Array): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}
