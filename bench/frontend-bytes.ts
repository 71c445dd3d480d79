// What the frontend image weighs, per candidate base: compressed bytes (the
// layer blobs as a registry serves them, gzip, plus config and manifest) and
// unpacked bytes (the layers' tar streams), read from `docker save` of each
// image (bench/image-bytes.ts). Every fresh CI runner pulls this image before
// its first build.

import { imageBytes, type ImageBytes } from "./image-bytes.js";
import type { Daemon } from "../test/e2e/daemon.js";
import type { Row, Target } from "./section.js";

/**
 * The project image before issue 15 (node:22-bookworm-slim's test-bed stand-in: Node on
 * Debian's libc6, libstdc++6 and libgcc-s1 only, plus the ES module bundle and a compile
 * cache), measured the same way on 2026-11-30. Its base image is no longer built, so the
 * bench cannot rebuild it; the number is the baseline of the issue's size target.
 */
export const BEFORE_ISSUE_15 = { compressed: 49_727_703, unpacked: 133_862_912 } as const;

export interface Candidate {
  readonly name: string;
  /** An image in the daemon, or null for a base that cannot be built here (with why in `note`). */
  readonly ref: string | null;
  readonly note: string;
}

const mb = (b: number) => +(b / 1e6).toFixed(2);

export async function bytesRows(d: Daemon, candidates: readonly Candidate[]): Promise<{ rows: Row[]; sizes: Map<string, ImageBytes> }> {
  const sizes = new Map<string, ImageBytes>();
  const rows: Row[] = [
    {
      candidate: "before issue 15 (recorded, not rebuilt)",
      "compressed MB": mb(BEFORE_ISSUE_15.compressed),
      "unpacked MB": mb(BEFORE_ISSUE_15.unpacked),
      "/ before": 1,
      what: "Node on Debian libs + bundle + compile cache",
    },
  ];
  for (const c of candidates) {
    if (c.ref === null) {
      rows.push({ candidate: c.name, "compressed MB": "not measured", "unpacked MB": "not measured", "/ before": "", what: c.note });
      continue;
    }
    const b = await imageBytes(d, c.ref);
    sizes.set(c.name, b);
    rows.push({
      candidate: c.name,
      "compressed MB": mb(b.imageCompressed),
      "unpacked MB": mb(b.layersUncompressed),
      "/ before": +(b.imageCompressed / BEFORE_ISSUE_15.compressed).toFixed(2),
      what: c.note,
    });
  }
  return { rows, sizes };
}

/** The issue's size target: at most half the compressed bytes of the image before it. */
export function sizeTarget(product: ImageBytes | undefined, nodeOnly: ImageBytes | undefined): { target: Target; note: string } {
  const goal = BEFORE_ISSUE_15.compressed / 2;
  const measured = product?.imageCompressed ?? Number.NaN;
  const floor = nodeOnly?.imageCompressed ?? Number.NaN;
  const target: Target = {
    what: "frontend image, compressed bytes / the image before issue 15",
    goal: "<= 0.5",
    measured: `${(measured / BEFORE_ISSUE_15.compressed).toFixed(2)} (${mb(measured)} MB)`,
    met: measured <= goal,
  };
  const note = !Number.isFinite(floor)
    ? "size floor: not measured"
    : floor > goal
      ? `size floor: the official node binary alone (stripped) is ${mb(floor)} MB compressed, above the target's ${mb(goal)} MB: no image that ships it can meet the target; the rest of the project image is ${mb(measured - floor)} MB (libraries, loader, snapshot)`
      : `size floor: the node binary alone is ${mb(floor)} MB compressed, within the target's ${mb(goal)} MB`;
  return { target, note };
}
