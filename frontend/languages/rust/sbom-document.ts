// The Rust part of the SPDX document: every crate compiled for the target
// and linked into the program, from cargo's metadata for that platform and
// Cargo.lock's checksums. A crate's lock checksum is the SHA-256 of its
// .crate file, the package file itself, so it is an SPDX checksum as clause
// 7.10 means one. Build scripts and proc-macros run on the build platform and
// are not in the binary: they and what only they use are left out.

import { NOASSERTION, spdxId, type Relationship, type SpdxPackage } from "../../sbom/spdx.js";
import { compare } from "../../sbom/order.js";
import type { LanguageSbomPart } from "../../sbom/types.js";

export interface LinkedCrate {
  readonly name: string;
  readonly version: string;
  /** Cargo.lock's `checksum`: SHA-256 of the .crate file; absent for git and path crates. */
  readonly checksum?: string;
  /** Cargo's source id: `registry+...`, `git+...`. */
  readonly source: string;
}

/** What `cargo metadata --format-version 1` says, the parts speck reads. */
export interface CargoMetadata {
  readonly packages: readonly { readonly id: string; readonly name: string; readonly version: string; readonly source: string | null; readonly targets: readonly { readonly kind: readonly string[] }[] }[];
  readonly resolve: { readonly nodes: readonly { readonly id: string; readonly deps: readonly { readonly pkg: string; readonly dep_kinds: readonly { readonly kind: string | null }[] }[] }[] } | null;
}

const NOTE =
  "Rust: the crates are those cargo's metadata for the target platform (--filter-platform) resolves as normal dependencies of the program's package, through no build script or proc-macro (those run on the build platform and are not linked), with Cargo.lock's checksums; the workspace's own path crates are part of the program.";

/** The registry and git crates the program's package links, from the metadata: normal dependencies, transitively, not through proc-macros. */
export function linkedCrates(meta: CargoMetadata, rootName: string, lock: string): LinkedCrate[] {
  const byId = new Map(meta.packages.map((p) => [p.id, p]));
  const nodes = new Map((meta.resolve?.nodes ?? []).map((n) => [n.id, n]));
  const root = meta.packages.find((p) => p.name === rootName && p.source === null);
  if (root === undefined) return [];
  const seen = new Set<string>([root.id]);
  const queue = [root.id];
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    for (const d of nodes.get(id)?.deps ?? []) {
      if (seen.has(d.pkg) || !d.dep_kinds.some((k) => k.kind === null)) continue;
      const pkg = byId.get(d.pkg);
      if (pkg === undefined || pkg.targets.some((t) => t.kind.includes("proc-macro"))) continue;
      seen.add(d.pkg);
      queue.push(d.pkg);
    }
  }
  const sums = lockChecksums(lock);
  return [...seen].flatMap((id) => {
    const p = byId.get(id);
    if (p === undefined || p.source === null) return [];
    const sum = sums.get(`${p.name} ${p.version}`);
    return [{ name: p.name, version: p.version, source: p.source, ...(sum ? { checksum: sum } : {}) }];
  }).sort((a, b) => compare(a.name, b.name) || compare(a.version, b.version));
}

/** `name version` -> checksum, from Cargo.lock's [[package]] entries. */
export function lockChecksums(lock: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const block of lock.split(/\n(?=\[\[package\]\])/)) {
    const name = /^name\s*=\s*"([^"]*)"/m.exec(block)?.[1];
    const version = /^version\s*=\s*"([^"]*)"/m.exec(block)?.[1];
    const sum = /^checksum\s*=\s*"([0-9a-f]{64})"/m.exec(block)?.[1];
    if (name && version && sum) out.set(`${name} ${version}`, sum);
  }
  return out;
}

export function rustSbomPart(crates: readonly LinkedCrate[], sourceInfo: string): LanguageSbomPart {
  return {
    note: NOTE,
    sourceInfo,
    parts: (program, _environment, claim) => {
      const packages: SpdxPackage[] = [];
      const relationships: Relationship[] = [];
      for (const c of crates) {
        const id = claim(spdxId("Crate", c.name, c.version), `crate ${c.name} ${c.version}`);
        packages.push({
          name: c.name,
          SPDXID: id,
          versionInfo: c.version,
          downloadLocation: NOASSERTION,
          filesAnalyzed: false,
          sourceInfo: `crate ${c.name} ${c.version} from ${c.source.startsWith("registry+") ? "a registry" : c.source.split("#")[0]}, as Cargo.lock pins it`,
          ...(c.checksum ? { checksums: [{ algorithm: "SHA256" as const, checksumValue: c.checksum }] } : {}),
          licenseConcluded: NOASSERTION,
          licenseDeclared: NOASSERTION,
          copyrightText: NOASSERTION,
          externalRefs: [{ referenceCategory: "PACKAGE-MANAGER", referenceType: "purl", referenceLocator: `pkg:cargo/${encodeURIComponent(c.name)}@${encodeURIComponent(c.version)}` }],
          primaryPackagePurpose: "LIBRARY",
        });
        relationships.push({ spdxElementId: program, relationshipType: "STATIC_LINK", relatedSpdxElement: id });
      }
      return { packages, relationships };
    },
  };
}
