import * as crypto from "node:crypto";

// crypto.hash (Node >= 20.12) is a one-shot digest, several times cheaper per
// op than createHash().update().digest(); marshal hashes every op.
const oneShot = (crypto as { hash?: (alg: string, data: Uint8Array, enc: "hex") => string }).hash;

/** `sha256:<hex>` of an op's bytes: its identity in a Definition. */
export function digestOf(bytes: Uint8Array): string {
  const hex = oneShot ? oneShot("sha256", bytes, "hex") : crypto.createHash("sha256").update(bytes).digest("hex");
  return `sha256:${hex}`;
}
