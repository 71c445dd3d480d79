// Looking inside images: the config a daemon reports, and the files of every layer, read from a
// `docker save` tarball or from an OCI tarball written by `--output type=oci,dest=…`.
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Daemon } from "./daemon.js";
import { docker } from "./docker.js";
import { run } from "./run.js";

/** The parts of `docker image inspect` the tests look at. */
export interface ImageInspect {
  readonly Id: string;
  readonly Architecture: string;
  readonly Os: string;
  readonly Variant?: string;
  /** RFC 3339; from SOURCE_DATE_EPOCH when the build sets it. */
  readonly Created: string;
  readonly Config: {
    readonly ExposedPorts?: Record<string, object> | null;
    readonly StopSignal?: string;
    readonly Entrypoint: string[] | null;
    readonly Cmd: string[] | null;
    readonly Env: string[] | null;
    readonly User: string;
    readonly WorkingDir: string;
    readonly Labels: Record<string, string> | null;
  };
  readonly RootFS: { readonly Layers: string[] };
}

export async function inspectImage(daemon: Daemon, ref: string): Promise<ImageInspect> {
  const r = await docker(daemon, ["image", "inspect", ref]);
  const [image] = JSON.parse(r.stdout) as ImageInspect[];
  if (image === undefined) throw new Error(`docker image inspect ${ref} returned nothing`);
  return image;
}

/** One entry of a layer, as `tar -tv` lists it. */
export interface LayerEntry {
  /** Path without a leading "./" or "/"; directories end without "/". */
  readonly path: string;
  /** "-" file, "d" directory, "l" symlink, "h" hard link, … (first letter of the mode). */
  readonly type: string;
  /** Permission bits as tar prints them, e.g. "rwxr-xr-x". */
  readonly perms: string;
  /** "uid/gid". */
  readonly owner: string;
  readonly size: number;
}

/** Files of every layer of `ref`, bottom layer first. */
export async function imageLayers(daemon: Daemon, ref: string): Promise<LayerEntry[][]> {
  const dir = await mkdtemp(join(tmpdir(), "speck-save-"));
  try {
    await docker(daemon, ["save", "-o", join(dir, "image.tar"), ref]);
    return await tarballLayers(join(dir, "image.tar"));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Files of every layer of the (first) image in a `docker save` or OCI tarball. */
export async function tarballLayers(tarball: string): Promise<LayerEntry[][]> {
  const dir = await mkdtemp(join(tmpdir(), "speck-layers-"));
  try {
    await run(["tar", "-xf", tarball, "-C", dir]);
    const layers: LayerEntry[][] = [];
    // GNU tar recognises gzip/zstd-compressed layers by itself when listing a file.
    for (const layer of await layerPaths(dir)) layers.push(parseListing((await run(["tar", "-tvf", layer])).stdout));
    return layers;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

interface Descriptor {
  readonly mediaType?: string;
  readonly digest: string;
  readonly annotations?: Record<string, string>;
}

async function readJson<T>(file: string): Promise<T> {
  return JSON.parse(await readFile(file, "utf8")) as T;
}

function blob(dir: string, digest: string): string {
  const [alg, hex] = digest.split(":");
  return join(dir, "blobs", alg ?? "", hex ?? "");
}

async function layerPaths(dir: string): Promise<string[]> {
  // `docker save` writes manifest.json (the classic format) next to the OCI layout.
  if (existsSync(join(dir, "manifest.json"))) {
    const [m] = await readJson<{ Layers: string[] }[]>(join(dir, "manifest.json"));
    if (m === undefined) throw new Error("manifest.json lists no image");
    return m.Layers.map((l) => join(dir, l));
  }
  let desc = (await readJson<{ manifests: Descriptor[] }>(join(dir, "index.json"))).manifests[0];
  // Descend through indexes to the first image manifest that is not an attestation.
  for (let depth = 0; desc !== undefined && depth < 4; depth++) {
    const doc = await readJson<{ manifests?: Descriptor[]; layers?: Descriptor[] }>(blob(dir, desc.digest));
    if (doc.layers !== undefined) return doc.layers.map((l) => blob(dir, l.digest));
    desc = doc.manifests?.find((m) => m.annotations?.["vnd.docker.reference.type"] !== "attestation-manifest");
  }
  throw new Error(`no image manifest found in ${dir}`);
}

function parseListing(listing: string): LayerEntry[] {
  const entries: LayerEntry[] = [];
  for (const line of listing.split("\n")) {
    // -rwxr-xr-x 0/0   13376 2023-11-14 22:13 p
    const m = /^(\S)(\S{9})\s+(\S+)\s+(\d+)\s+\S+\s+\S+\s+(.*)$/.exec(line);
    if (m === null) continue;
    const [, type = "", perms = "", owner = "", size = "0", rest = ""] = m;
    const name = type === "l" || type === "h" ? rest.split(/ -> | link to /)[0] ?? rest : rest;
    entries.push({ type, perms, owner, size: Number(size), path: name.replace(/^\.?\//, "").replace(/\/$/, "") });
  }
  return entries;
}
