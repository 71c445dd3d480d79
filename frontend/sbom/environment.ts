// Which image the compile ran in, read from the LLB that ran it rather than
// from a side record: the toolchain state's image source, already pinned to a
// manifest digest by the toolchain phase (`docker-image://<ref>@sha256:...`).

import { marshal, toJSON, type Platform, type State } from "../../llb/index.js";
import type { SbomInput } from "./types.js";

export function environmentOf(toolchain: State, platform: Platform, origin: string): SbomInput["environment"] {
  const images: string[] = [];
  for (const op of toJSON(marshal(toolchain, { platform }))) {
    const id = op.kind === "source" ? (op.op as { identifier?: unknown } | undefined)?.identifier : undefined;
    if (typeof id === "string" && id.startsWith("docker-image://")) images.push(id.slice("docker-image://".length));
  }
  const [only] = images;
  if (images.length !== 1 || only === undefined) return { image: origin };
  const at = only.lastIndexOf("@sha256:");
  return at < 0 ? { image: only } : { image: only.slice(0, at), digest: only.slice(at + 1) };
}
