// Reads an `--output type=oci` tarball: the image index and, per platform,
// the config and every regular file of the layers with its ELF header facts.

import { createHash } from "node:crypto";
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { run } from "./run.js";

interface Descriptor {
  readonly mediaType?: string;
  readonly digest: string;
  readonly platform?: { readonly os: string; readonly architecture: string; readonly variant?: string };
  readonly annotations?: Record<string, string>;
}

export interface LayerFile {
  readonly size: number;
  readonly sha256: string;
  /** ELF e_machine, for ELF files. */
  readonly machine?: number;
  /** ELF e_flags, for ELF files. */
  readonly flags?: number;
}

export interface PlatformImage {
  /** `linux/arm/v7` */
  readonly platform: string;
  readonly config: { architecture: string; os: string; variant?: string; config: { Labels?: Record<string, string> } };
  /** Every regular file in the layers, by path. */
  readonly files: Map<string, LayerFile>;
}

export interface OciIndex {
  /** The digest index.json points at: the image index of the build (its manifest for one platform). */
  readonly digest: string;
  readonly images: PlatformImage[];
}

/** ELF e_machine per GOARCH. */
export const ELF_MACHINE: Readonly<Record<string, number>> = { amd64: 62, arm64: 183, arm: 40, riscv64: 243, "386": 3, ppc64le: 21, s390x: 22 };
/** EF_ARM_ABI_FLOAT_HARD: an ARM EABI binary for the hard-float ABI (Alpine's armv7 and armhf). */
export const EF_ARM_ABI_FLOAT_HARD = 0x400;

/** Unpacks an `--output type=oci` tarball and reads each platform's config and files. */
export async function readOci(tarball: string): Promise<OciIndex> {
  const dir = await mkdtemp(join(tmpdir(), "speck-oci-"));
  try {
    await run(["tar", "-xf", tarball, "-C", dir]);
    const json = async <T>(digest: string): Promise<T> => JSON.parse(await readFile(blob(dir, digest), "utf8")) as T;
    const top = (JSON.parse(await readFile(join(dir, "index.json"), "utf8")) as { manifests: Descriptor[] }).manifests;
    expect(top.length, "index.json names one image index").toBe(1);
    const root = top[0] as Descriptor;
    // A single-platform build exports one image manifest; a multi-platform build an index of them.
    const single = root.mediaType === "application/vnd.oci.image.manifest.v1+json";
    if (!single) expect(root.mediaType).toBe("application/vnd.oci.image.index.v1+json");
    const index = single ? { manifests: [root] } : await json<{ manifests: Descriptor[] }>(root.digest);
    const images: PlatformImage[] = [];
    for (const m of index.manifests) {
      if (m.annotations?.["vnd.docker.reference.type"] === "attestation-manifest") continue;
      const manifest = await json<{ config: Descriptor; layers: Descriptor[] }>(m.digest);
      const config = await json<PlatformImage["config"]>(manifest.config.digest);
      const files = new Map<string, LayerFile>();
      for (const [i, layer] of manifest.layers.entries()) {
        const out = join(dir, `layer-${m.digest.slice(7, 19)}-${i}`);
        await run(["mkdir", "-p", out]);
        await run(["tar", "-xf", blob(dir, layer.digest), "-C", out]);
        for (const f of await readdir(out, { recursive: true, withFileTypes: true })) {
          if (!f.isFile()) continue;
          const path = join(f.parentPath, f.name);
          const bytes = await readFile(path);
          const sha256 = createHash("sha256").update(bytes).digest("hex");
          const elf = bytes.subarray(0, 4).equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
          // EI_DATA 1 is little-endian; e_machine is the half-word at 18, e_flags the word at 36 (32-bit) or 48 (64-bit).
          const le = bytes[5] === 1;
          const flagsAt = bytes[4] === 1 ? 36 : 48;
          files.set(path.slice(out.length + 1), {
            size: bytes.length,
            sha256,
            ...(elf ? { machine: le ? bytes.readUInt16LE(18) : bytes.readUInt16BE(18), flags: le ? bytes.readUInt32LE(flagsAt) : bytes.readUInt32BE(flagsAt) } : {}),
          });
        }
      }
      const p = m.platform ?? (single ? { os: config.os, architecture: config.architecture, ...(config.variant ? { variant: config.variant } : {}) } : undefined);
      images.push({ platform: p ? `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ""}` : "?", config, files });
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
