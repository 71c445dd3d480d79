// Gathers what a speck C/C++ build's SBOM says, from the daemon, after the
// binary was verified: the binary's bytes, the compiled sources and image
// files (from the context), the compile stage's package databases (ReadFile on
// the toolchain result) and the link map (a second output of the link).

import { createHash } from "node:crypto";
import type { GatewayClient, Reference } from "../gateway/index.js";
import { GatewayRootFs, readInChunks, type TreeSource } from "./gateway-fs.js";
import { parseLinkMap } from "./link-map.js";
import { attributeLink } from "./linked.js";
import { readPackageDb, type PackageDb } from "./package-db.js";
import { PathResolver } from "./root-fs.js";
import { SPECK_TOOL } from "./tool.js";
import type { Digests, InputFile, LanguageSbomPart, SbomInput } from "./types.js";

export interface BuildFacts {
  readonly name: string;
  readonly platform: string;
  readonly epochSeconds: number;
  /** The compile stage's image: `ref@sha256:...` when it was one, else how it was given. */
  readonly environment: SbomInput["environment"];
  /** The compile stage (base image plus installed packages), solved. */
  readonly toolchain: Reference;
  /** Its LLB, so the package database's many small files can be packed into one read. */
  readonly toolchainTree?: TreeSource;
  /**
   * Where package databases live in it: `/` for the build tools; a
   * cross-compile adds its sysroot (`/aarch64-linux-musl`) for the target's libraries.
   */
  readonly roots: readonly string[];
  /** `path` in `ref`; `imagePath` where the image has it. */
  readonly binary: { readonly ref: Reference; readonly path: string; readonly imagePath: string; readonly size: number; readonly description: string };
  readonly linkMap: { readonly ref: Reference; readonly path: string };
  /** Where the link mounts the program's own objects (a unit graph's); nothing there is a package's. */
  readonly objectDir: string;
  readonly context: Reference | undefined;
  /** Context paths of the compiled sources. */
  readonly sources: readonly string[];
  /** Image files: where they come from in the context and where they go. */
  readonly imageFiles: readonly { readonly src: string; readonly dest: string }[];
}

/** What a language that records its own links (Go's build info, Cargo's metadata) shares with a C build's facts. */
export type LanguageBuildFacts = Omit<BuildFacts, "linkMap" | "sources" | "objectDir">;

/**
 * The SBOM of a binary that links no package of the environment (Go, Rust):
 * the environment's packages, the binary's digests and the context inputs,
 * read while the language reads its own part (`language`), then one document.
 */
export async function collectLanguageSbom(client: GatewayClient, facts: LanguageBuildFacts, wanted: readonly WantedInput[], language: Promise<LanguageSbomPart>): Promise<SbomInput> {
  const fs = new GatewayRootFs(client, facts.toolchain, facts.toolchainTree);
  const { ref, path, size } = facts.binary;
  const [dbs, digests, inputs, part] = await Promise.all([
    Promise.all(facts.roots.map((root) => readPackageDb(fs, root))),
    digestsInChunks(client, ref, path, size),
    hashInputs(client, facts.context, wanted),
    language,
  ]);
  return {
    name: facts.name,
    platform: facts.platform,
    created: facts.epochSeconds,
    tool: SPECK_TOOL,
    artifact: { path: facts.binary.imagePath, size, digests, description: facts.binary.description },
    inputs,
    environment: facts.environment,
    packages: dbs.filter((db): db is PackageDb => db !== undefined).flatMap((db) => db.packages),
    // The language's part lists what went into the binary; no environment package is linked.
    linked: [],
    unclaimed: [],
    language: part,
  };
}

/**
 * The program's own objects, which are its sources (listed as such), not
 * anyone's package: the compiler driver's temporaries of a single run (gcc's
 * `/tmp/ccXXXXXX.o`, clang's `/tmp/<source>-XXXXXX.o`; no package installs
 * into /tmp) and the unit graph's objects, mounted under OBJ_DIR in the link.
 */
function isProgramObject(path: string, objectDir: string): boolean {
  return path.startsWith("/tmp/") || path.startsWith(`${objectDir}/`);
}

export async function collectSbom(client: GatewayClient, facts: BuildFacts): Promise<SbomInput> {
  const fs = new GatewayRootFs(client, facts.toolchain, facts.toolchainTree);
  const [dbs, linkMapText, binaryDigests, inputs] = await Promise.all([
    Promise.all(facts.roots.map((root) => readPackageDb(fs, root))),
    readText(client, facts.linkMap.ref, facts.linkMap.path),
    digestsInChunks(client, facts.binary.ref, facts.binary.path, facts.binary.size),
    inputFiles(client, facts),
  ]);
  const found = dbs.filter((db): db is PackageDb => db !== undefined);
  const { linked, unowned } = await attributeLink(parseLinkMap(linkMapText), found, new PathResolver(fs));
  const unclaimed = await Promise.all(
    unowned
      .filter((u) => !isProgramObject(u.path, facts.objectDir))
      .map(async (u) => {
        const size = Number((await client.statFile(facts.toolchain, u.path)).size);
        return { ...u, digests: await digestsInChunks(client, facts.toolchain, u.path, size) };
      }),
  );
  return {
    name: facts.name,
    platform: facts.platform,
    created: facts.epochSeconds,
    tool: SPECK_TOOL,
    artifact: { path: facts.binary.imagePath, size: facts.binary.size, digests: binaryDigests, description: facts.binary.description },
    inputs,
    environment: facts.environment,
    packages: found.flatMap((db) => db.packages),
    linked,
    unclaimed,
  };
}

/** A C++ link map with a static libstdc++ runs to megabytes: read it in chunks. */
async function readText(client: GatewayClient, ref: Reference, path: string): Promise<string> {
  const size = Number((await client.statFile(ref, path)).size);
  const decoder = new TextDecoder();
  let text = "";
  await readInChunks(client, ref, path, size, (chunk) => (text += decoder.decode(chunk, { stream: true })));
  return text + decoder.decode();
}

export async function digestsInChunks(client: GatewayClient, ref: Reference, path: string, size: number): Promise<Digests> {
  const sha1 = createHash("sha1");
  const sha256 = createHash("sha256");
  await readInChunks(client, ref, path, size, (chunk) => {
    sha1.update(chunk);
    sha256.update(chunk);
  });
  return { sha1: sha1.digest("hex"), sha256: sha256.digest("hex") };
}

async function inputFiles(client: GatewayClient, facts: BuildFacts): Promise<InputFile[]> {
  return hashInputs(client, facts.context, [
    ...facts.sources.map((path) => ({ role: "source" as const, src: path, path })),
    ...facts.imageFiles.map((f) => ({ role: "image-file" as const, src: f.src, path: f.dest })),
  ]);
}

/** An input file to hash: `src` in the context, described as `path`. */
export interface WantedInput {
  readonly role: InputFile["role"];
  readonly src: string;
  readonly path: string;
  readonly note?: string;
}

export async function hashInputs(client: GatewayClient, context: Reference | undefined, wanted: readonly WantedInput[]): Promise<InputFile[]> {
  if (wanted.length > 0 && context === undefined) throw new Error("the build context is empty, but the build names files in it");
  return Promise.all(
    wanted.map(async (w) => {
      const data = await client.readFile(context, w.src);
      return { role: w.role, path: w.path, digests: digestsOf(data), ...(w.note !== undefined ? { note: w.note } : {}) };
    }),
  );
}

export function digestsOf(data: Uint8Array): Digests {
  return { sha1: createHash("sha1").update(data).digest("hex"), sha256: createHash("sha256").update(data).digest("hex") };
}
