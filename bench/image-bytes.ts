// How big an image is, read from what the daemon actually stores: `docker save`
// gives the OCI layout with the layer blobs as pushed (compressed), their
// descriptors' sizes, and the layers' tar streams, which hold the binary.

import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import type { Daemon } from "../test/e2e/daemon.js";
import { docker } from "../test/e2e/docker.js";
import { readTar, type TarEntry } from "./tar.js";

export interface ImageBytes {
  /** Sum of the layer blobs as stored and pushed (gzip). */
  readonly layersCompressed: number;
  /** Sum of the layers' uncompressed tar streams. */
  readonly layersUncompressed: number;
  /** Layers + config + manifest: what a registry holds for this image. */
  readonly imageCompressed: number;
  /** Regular files in all layers: path → size. */
  readonly files: ReadonlyMap<string, number>;
  /** `Config.Labels` of the image config. */
  readonly labels: Readonly<Record<string, string>>;
}

interface Descriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
  readonly annotations?: Record<string, string>;
}

export async function imageBytes(daemon: Daemon, ref: string): Promise<ImageBytes> {
  const dir = await mkdtemp(join(tmpdir(), "speck-bench-save-"));
  try {
    const file = join(dir, "image.tar");
    await docker(daemon, ["save", "-o", file, ref], { timeoutMs: 120_000 });
    return fromArchive(readTar(await readFile(file)));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function fromArchive(entries: readonly TarEntry[]): ImageBytes {
  const byPath = new Map(entries.map((e) => [e.path, e.data]));
  const json = <T>(path: string): T => {
    const data = byPath.get(path);
    if (data === undefined) throw new Error(`docker save archive has no ${path}`);
    return JSON.parse(Buffer.from(data).toString("utf8")) as T;
  };
  const blobPath = (d: Descriptor) => `blobs/${d.digest.replace(":", "/")}`;
  // Descend index → (index …) → the image manifest that is not an attestation.
  let desc = json<{ manifests: Descriptor[] }>("index.json").manifests[0];
  for (let depth = 0; desc !== undefined && depth < 4; depth++) {
    const doc = json<{ manifests?: Descriptor[]; layers?: Descriptor[]; config?: Descriptor }>(blobPath(desc));
    if (doc.layers !== undefined && doc.config !== undefined) {
      const files = new Map<string, number>();
      let uncompressed = 0;
      for (const l of doc.layers) {
        const raw = byPath.get(blobPath(l));
        if (raw === undefined) throw new Error(`layer ${l.digest} missing from the archive`);
        const stream = l.mediaType.endsWith("gzip") ? gunzipSync(raw) : l.mediaType.endsWith("tar") ? raw : null;
        if (stream === null) throw new Error(`layer media type ${l.mediaType} is not read by the bench`);
        uncompressed += stream.length;
        for (const e of readTar(stream)) if (e.type === "0") files.set(e.path, e.size);
      }
      const config = json<{ config?: { Labels?: Record<string, string> } }>(blobPath(doc.config));
      const layersCompressed = doc.layers.reduce((n, l) => n + l.size, 0);
      return {
        layersCompressed,
        layersUncompressed: uncompressed,
        imageCompressed: layersCompressed + doc.config.size + desc.size,
        files,
        labels: config.config?.Labels ?? {},
      };
    }
    desc = doc.manifests?.find((m) => m.annotations?.["vnd.docker.reference.type"] !== "attestation-manifest");
  }
  throw new Error("no image manifest in the docker save archive");
}
