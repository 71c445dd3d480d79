// RootFs over a solved result: ReadFile and StatFile through the gateway, no
// container. A missing file is an answer (undefined), any other failure is not.

import { parseTar } from "nanotar";
import { encodeDefinition, marshal, type Platform, type State } from "../../llb/index.js";
// Not gateway/index.js: the CLI loads the languages (and through them this), and that index loads the gateway runtime.
import type { GatewayClient, Reference } from "../gateway/index.js";
import { GatewayError, GRPC_CANCELLED, GRPC_DEADLINE_EXCEEDED, GRPC_UNAVAILABLE } from "../gateway/status.js";
import { BUNDLE_FILE, bundleFiles } from "./bundle.js";
import { readEach, type RootFs } from "./root-fs.js";

/** The LLB of the tree `ref` was solved from: readMany runs one exec in it (bundle.ts). */
export interface TreeSource {
  readonly state: State;
  readonly platform: Platform;
  /** Progress line of that exec. */
  readonly customName: string;
}

// Go's os.FileMode bit for a symbolic link, as fsutil's Stat.mode carries it.
const MODE_SYMLINK = 1 << 27;
/** Ranged reads keep each answer well under the gateway's message size limit. */
const CHUNK = 4 * 1024 * 1024;

export class GatewayRootFs implements RootFs {
  constructor(
    private readonly client: GatewayClient,
    private readonly ref: Reference,
    private readonly tree?: TreeSource,
  ) {
    if (tree) this.readMany = (paths) => this.readBundled(tree, paths);
  }

  readonly readMany?: (paths: readonly string[]) => Promise<ReadonlyMap<string, Uint8Array>>;

  /**
   * One exec packs them; a tree where that cannot run (no GNU tar) is read
   * file by file instead, slower but the same answer.
   */
  private async readBundled(tree: TreeSource, paths: readonly string[]): Promise<ReadonlyMap<string, Uint8Array>> {
    // Looked for first, so a tree without tar shows no failed step in the build's progress.
    const tars = await Promise.all(["/usr/bin/tar", "/bin/tar"].map((p) => this.exists(p)));
    if (!tars.includes(true)) return readEach(this, paths);
    try {
      return await this.readPacked(tree, paths);
    } catch (e) {
      if (!(e instanceof GatewayError) || [GRPC_CANCELLED, GRPC_DEADLINE_EXCEEDED, GRPC_UNAVAILABLE].includes(e.code)) throw e;
      process.stderr.write(`speck: packing ${paths.length} files for the SBOM failed (${e.message}); reading them one by one\n`);
      return readEach(this, paths);
    }
  }

  private async readPacked(tree: TreeSource, paths: readonly string[]): Promise<ReadonlyMap<string, Uint8Array>> {
    const state = bundleFiles(tree.state, paths, tree.customName);
    const { ref } = await this.client.solve({ definition: encodeDefinition(marshal(state, { platform: tree.platform })) });
    if (!ref) throw new Error("packing files for the SBOM gave an empty result");
    const size = Number((await this.client.statFile(ref, BUNDLE_FILE)).size);
    const archive = new Uint8Array(size);
    let at = 0;
    await readInChunks(this.client, ref, BUNDLE_FILE, size, (chunk) => {
      archive.set(chunk, at);
      at += chunk.length;
    });
    const out = new Map<string, Uint8Array>();
    // Own buffer: nanotar reads `data.buffer` from offset 0.
    for (const item of parseTar(archive.buffer)) if (item.type === "file" && item.data) out.set(`/${item.name.replace(/^\.?\/+/, "")}`, item.data);
    return out;
  }

  async readFile(path: string): Promise<Uint8Array | undefined> {
    try {
      return await this.client.readFile(this.ref, path);
    } catch (e) {
      if (isMissing(e)) return undefined;
      throw e;
    }
  }

  private async exists(path: string): Promise<boolean> {
    try {
      await this.client.statFile(this.ref, path);
      return true;
    } catch (e) {
      if (isMissing(e)) return false;
      throw e;
    }
  }

  /**
   * The target of the link at `path`, or undefined when it is no link. Read
   * from its directory's listing: StatFile resolves the whole path, the last
   * component included, so it never shows a link, while ReadDir reports each
   * entry as it is (the cross test double's target roots are trees of links).
   */
  async readLink(path: string): Promise<string | undefined> {
    const slash = path.lastIndexOf("/");
    const dir = slash <= 0 ? "/" : path.slice(0, slash);
    const name = path.slice(slash + 1);
    if (name === "") return undefined;
    try {
      const entry = (await this.client.readDir(this.ref, dir, name.replace(/[\\*?[]/g, "\\$&"))).find((e) => e.path === name);
      return entry !== undefined && (entry.mode >>> 0) & MODE_SYMLINK ? entry.linkname : undefined;
    } catch (e) {
      if (isMissing(e)) return undefined;
      throw e;
    }
  }
}

/** A whole file of known size, read in chunks, fed to `consume` in order. */
export async function readInChunks(client: GatewayClient, ref: Reference, path: string, size: number, consume: (chunk: Uint8Array) => void): Promise<void> {
  for (let offset = 0; offset < size; offset += CHUNK) {
    consume(await client.readFile(ref, path, { offset, length: Math.min(CHUNK, size - offset) }));
  }
}

/**
 * BuildKit answers a read of a missing path with the OS error text (code
 * Unknown): "open /x: no such file or directory", or "not a directory" when a
 * parent is a file. Cancellation and a lost daemon are never "missing".
 */
function isMissing(e: unknown): boolean {
  if (!(e instanceof GatewayError)) return false;
  if ([GRPC_CANCELLED, GRPC_DEADLINE_EXCEEDED, GRPC_UNAVAILABLE].includes(e.code)) return false;
  return /no such file or directory|not a directory/i.test(e.message);
}
