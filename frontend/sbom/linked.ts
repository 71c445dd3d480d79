// Link map -> packages: which package installed each archive and object the
// link took, by the packages' own file lists. Paths are compared after
// resolving symbolic links on both sides (the linker may say /lib/..., dpkg
// /usr/lib/...), and only list entries with the same file name are resolved.

import type { LinkedInputs } from "./link-map.js";
import type { PackageDb } from "./package-db.js";
import type { PathResolver } from "./root-fs.js";
import type { InstalledPackage, LinkedPackage } from "./types.js";

export interface LinkAttribution {
  readonly linked: readonly LinkedPackage[];
  /** Linked files no package claims (built by hand, or the program's own objects), with their descriptions. */
  readonly unowned: readonly { readonly path: string; readonly description: string }[];
}

export async function attributeLink(inputs: LinkedInputs, dbs: readonly PackageDb[], resolver: PathResolver): Promise<LinkAttribution> {
  // canonical path -> how the SBOM describes it
  // Every path resolves at once: each answer is a StatFile round trip, and the resolver shares them.
  const wanted = new Map<string, string>();
  const archives = await Promise.all([...inputs.archives].map(async ([archive, members]) => [await resolver.resolve(archive), members.length] as const));
  for (const [canonical, n] of archives) wanted.set(canonical, `${canonical} (${n} member${n === 1 ? "" : "s"})`);
  for (const canonical of await Promise.all(inputs.objects.map((o) => resolver.resolve(o)))) wanted.set(canonical, canonical);
  const names = new Set([...wanted.keys()].map(basename));

  // Candidates: list entries with a linked file's name, in database and list order (the first owner wins).
  const candidates: { pkg: InstalledPackage; path: string }[] = [];
  for (const db of dbs) {
    for (const [pkg, files] of await db.fileLists()) for (const path of files) if (names.has(basename(path))) candidates.push({ pkg, path });
  }
  const resolved = await Promise.all(candidates.map((c) => resolver.resolve(c.path)));
  const owners = new Map<string, InstalledPackage>();
  candidates.forEach((c, i) => {
    const canonical = resolved[i] as string;
    if (wanted.has(canonical) && !owners.has(canonical)) owners.set(canonical, c.pkg);
  });

  const byPackage = new Map<InstalledPackage, string[]>();
  const unowned: { path: string; description: string }[] = [];
  for (const [path, description] of wanted) {
    const pkg = owners.get(path);
    if (pkg === undefined) {
      unowned.push({ path, description });
      continue;
    }
    let list = byPackage.get(pkg);
    if (!list) byPackage.set(pkg, (list = []));
    list.push(description);
  }
  return {
    linked: [...byPackage].map(([pkg, files]) => ({ package: pkg, files: files.sort() })),
    unowned: unowned.sort((a, b) => (a.path < b.path ? -1 : 1)),
  };
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}
