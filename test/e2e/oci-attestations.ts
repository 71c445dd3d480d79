// Reading an OCI archive written by `--output type=oci,dest=…` the way a
// registry client would: the index, each platform's image manifest, and the
// attestation manifests BuildKit adds beside them (annotated
// vnd.docker.reference.type=attestation-manifest, one in-toto statement per
// layer, its predicate type in the layer's in-toto.io/predicate-type).
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "./run.js";

interface Descriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly platform?: { readonly os: string; readonly architecture: string };
  readonly annotations?: Record<string, string>;
}

export interface Statement {
  readonly predicateType: string;
  /** The layer's digest: equal bytes, equal digest. */
  readonly layerDigest: string;
  readonly subject: readonly { name: string; digest: Record<string, string> }[];
  readonly predicate: Record<string, unknown>;
}

export interface OciImage {
  readonly platform: string;
  readonly manifestDigest: string;
  /** Files of every layer: path -> bytes. */
  readonly files: ReadonlyMap<string, Uint8Array>;
  readonly statements: readonly Statement[];
}

export interface OciArchive {
  /** The digest index.json points at (the image index). */
  readonly indexDigest: string;
  readonly images: readonly OciImage[];
}

export async function readOciArchive(tarball: string): Promise<OciArchive> {
  const dir = await mkdtemp(join(tmpdir(), "speck-oci-read-"));
  try {
    await run(["tar", "-xf", tarball, "-C", dir]);
    const json = async <T>(digest: string): Promise<T> => JSON.parse(await readFile(blob(dir, digest), "utf8")) as T;
    const top = JSON.parse(await readFile(join(dir, "index.json"), "utf8")) as { manifests: Descriptor[] };
    const indexDigest = top.manifests[0]?.digest ?? "";
    const index = await json<{ manifests: Descriptor[] }>(indexDigest);
    const images: OciImage[] = [];
    for (const m of index.manifests) {
      if (m.annotations?.["vnd.docker.reference.type"] === "attestation-manifest") continue;
      const att = index.manifests.find((a) => a.annotations?.["vnd.docker.reference.digest"] === m.digest);
      const statements: Statement[] = [];
      if (att) {
        const manifest = await json<{ layers: Descriptor[] }>(att.digest);
        for (const l of manifest.layers) {
          const s = await json<{ predicateType: string; subject: Statement["subject"]; predicate: Record<string, unknown> }>(l.digest);
          statements.push({ predicateType: l.annotations?.["in-toto.io/predicate-type"] ?? s.predicateType, layerDigest: l.digest, subject: s.subject, predicate: s.predicate });
        }
      }
      const manifest = await json<{ layers: Descriptor[] }>(m.digest);
      const files = new Map<string, Uint8Array>();
      for (const l of manifest.layers) {
        const out = await mkdtemp(join(dir, "layer-"));
        await run(["tar", "-xf", blob(dir, l.digest), "-C", out]);
        const { stdout } = await run(["find", out, "-type", "f"]);
        for (const f of stdout.split("\n").filter(Boolean)) files.set(f.slice(out.length + 1), await readFile(f));
      }
      images.push({ platform: m.platform ? `${m.platform.os}/${m.platform.architecture}` : "", manifestDigest: m.digest, files, statements });
    }
    return { indexDigest, images };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function blob(dir: string, digest: string): string {
  const [alg, hex] = digest.split(":");
  return join(dir, "blobs", alg ?? "", hex ?? "");
}
