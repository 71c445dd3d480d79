// A read-only view of a file system tree (a solved toolchain, through the
// gateway; a directory, in tests), and path handling inside it: `..` removed
// and symbolic links resolved the way the kernel would, without leaving the tree.

export interface RootFs {
  /** The file's bytes, or undefined when there is no such file. */
  readFile(path: string): Promise<Uint8Array | undefined>;
  /** The target of a symbolic link at `path`; undefined when `path` is not a link or does not exist. */
  readLink(path: string): Promise<string | undefined>;
  /** Many files at once, links followed; only those that exist are in the map. Optional: readFile is the fallback. */
  readMany?(paths: readonly string[]): Promise<ReadonlyMap<string, Uint8Array>>;
}

/** `/`-rooted path of `rel` (relative, no leading slash) under `root`. */
export function joinRoot(root: string, rel: string): string {
  return normalizePath(`${root}/${rel}`);
}

/** `/usr/lib/gcc/x/12/../../../x/libc.a` -> `/usr/lib/x/libc.a`. Always absolute. */
export function normalizePath(path: string): string {
  const parts: string[] = [];
  for (const seg of path.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") parts.pop();
    else parts.push(seg);
  }
  return `/${parts.join("/")}`;
}

/**
 * Resolves every symbolic link on a path (merged /usr makes /lib a link to
 * usr/lib, so a linker and a package list may name one file two ways).
 * Directory answers are cached: a link map names a handful of directories.
 */
export class PathResolver {
  private readonly links = new Map<string, Promise<string | undefined>>();

  constructor(private readonly fs: RootFs) {}

  async resolve(path: string): Promise<string> {
    // `..` is resolved after the links before it, as the kernel does, not lexically.
    let pending = path.split("/").filter((s) => s !== "" && s !== ".");
    let done: string[] = [];
    for (let hops = 0; pending.length > 0; ) {
      const seg = pending.shift() as string;
      if (seg === "..") {
        done.pop();
        continue;
      }
      const here = `/${[...done, seg].join("/")}`;
      const target = await this.readLink(here);
      if (target === undefined) {
        done.push(seg);
        continue;
      }
      if (++hops > 40) throw new Error(`too many levels of symbolic links resolving ${path}`);
      if (target.startsWith("/")) done = [];
      pending = [...target.split("/").filter((s) => s !== "" && s !== "."), ...pending];
    }
    return `/${done.join("/")}`;
  }

  private readLink(path: string): Promise<string | undefined> {
    let p = this.links.get(path);
    if (p === undefined) {
      p = this.fs.readLink(path);
      this.links.set(path, p);
    }
    return p;
  }
}

/** Up to this many file reads at once: enough to hide round trips, few enough not to flood the daemon. */
const CONCURRENCY = 16;

/** readMany done the slow way: one readFile per path, a few at a time; missing files are left out. */
export async function readEach(fs: RootFs, paths: readonly string[]): Promise<ReadonlyMap<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < paths.length) {
      const path = paths[next++] as string;
      const data = await fs.readFile(path);
      if (data !== undefined) out.set(path, data);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, paths.length) }, worker));
  // Insertion order followed completion order; give it the callers' order back.
  return new Map(paths.flatMap((p) => (out.has(p) ? [[p, out.get(p) as Uint8Array] as const] : [])));
}
