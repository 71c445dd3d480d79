// Reading an `--output type=oci` tarball: the image index, each platform's
// config, and the ELF machine and size of every file in its layers.

import { closeSync, openSync, readSync } from "node:fs";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { run } from "./run.js";

export interface Descriptor {
  readonly mediaType?: string;
  readonly digest: string;
  readonly platform?: { readonly os: string; readonly architecture: string; readonly variant?: string };
  readonly annotations?: Record<string, string>;
}

export interface PlatformImage {
  readonly platform: string;
  readonly config: { architecture: string; os: string; variant?: string; config: { Labels?: Record<string, string> } };
  /** e_machine of each regular file in the layers, by path. */
  readonly machines: Map<string, number>;
  readonly sizes: Map<string, number>;
}

/** Unpacks an `--output type=oci` tarball and reads each platform's config and binaries. */
export async function readOci(tarball: string): Promise<{ readonly digest: string; readonly images: PlatformImage[] }> {
  const dir = await mkdtemp(join(tmpdir(), "speck-oci-"));
  try {
    await run(["tar", "-xf", tarball, "-C", dir]);
    const json = async <T>(digest: string): Promise<T> => JSON.parse(await readFile(blob(dir, digest), "utf8")) as T;
    const top = (JSON.parse(await readFile(join(dir, "index.json"), "utf8")) as { manifests: Descriptor[] }).manifests;
    expect(top.length, "index.json names one image index").toBe(1);
    const root = top[0] as Descriptor;
    expect(root.mediaType).toBe("application/vnd.oci.image.index.v1+json");
    const index = await json<{ manifests: Descriptor[] }>(root.digest);
    const images: PlatformImage[] = [];
    for (const m of index.manifests) {
      if (m.annotations?.["vnd.docker.reference.type"] === "attestation-manifest") continue;
      const manifest = await json<{ config: Descriptor; layers: Descriptor[] }>(m.digest);
      const config = await json<PlatformImage["config"]>(manifest.config.digest);
      const machines = new Map<string, number>();
      const sizes = new Map<string, number>();
      for (const [i, layer] of manifest.layers.entries()) {
        const out = join(dir, `layer-${m.digest.slice(7, 19)}-${i}`);
        await run(["mkdir", "-p", out]);
        await run(["tar", "-xf", blob(dir, layer.digest), "-C", out]);
        for (const f of await readdir(out, { recursive: true, withFileTypes: true })) {
          if (!f.isFile()) continue;
          const path = join(f.parentPath, f.name);
          const head = readHead(path, 20);
          sizes.set(path.slice(out.length + 1), (await readFile(path)).length);
          if (head.subarray(0, 4).equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]))) {
            // EI_DATA 1 is little-endian; e_machine is the half-word at offset 18.
            machines.set(path.slice(out.length + 1), head[5] === 1 ? head.readUInt16LE(18) : head.readUInt16BE(18));
          }
        }
      }
      const p = m.platform;
      images.push({ platform: p ? `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ""}` : "?", config, machines, sizes });
    }
    return { digest: root.digest, images };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function blob(dir: string, digest: string): string {
  const [alg = "", hex = ""] = digest.split(":");
  return join(dir, "blobs", alg, hex);
}

function readHead(path: string, n: number): Buffer {
  const buf = Buffer.alloc(n);
  const fd = openSync(path, "r");
  try {
    readSync(fd, buf, 0, n, 0);
  } finally {
    closeSync(fd);
  }
  return buf;
}
