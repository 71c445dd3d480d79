// The Rust part of the SPDX document: every crate compiled for the target
// and linked into the program, from `cargo tree` for that platform and the
// build's features (sbom.ts says why not cargo metadata) and Cargo.lock's
// sources and checksums. A crate's lock checksum is the SHA-256 of its
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

const NOTE =
  "Rust: the crates are those `cargo tree` shows for the target platform with the build's features (--target, -p, --features, --no-default-features) as normal dependencies of the program's package, through no build script or proc-macro (those run on the build platform and are not linked), with Cargo.lock's sources and checksums; the workspace's own path crates are part of the program.";

/**
 * The registry and git crates `cargo tree --prefix none --format {p}` lists
 * (one `<name> v<version>` per line, a non-default source in parentheses, a
 * repeated subtree marked ` (*)`), each once, with the lock's source and
 * checksum. A package the lock gives no source is the workspace's own.
 */
export function treeCrates(tree: string, lock: string): LinkedCrate[] {
  const entries = lockEntries(lock);
  const out = new Map<string, LinkedCrate>();
  for (const line of tree.split("\n")) {
    const m = /^(\S+) v(\S+)(?: \((.*)\))?$/.exec(line.trim().replace(/ \(\*\)$/, ""));
    if (!m?.[1] || !m[2]) continue;
    const candidates = entries.filter((e) => e.name === m[1] && e.version === m[2] && e.source !== undefined);
    // One name and version from two sources: the parenthesised source id (a git URL, another registry) says which.
    const e = (m[3] ? candidates.find((c) => sameSource(c.source ?? "", m[3] ?? "")) : undefined) ?? candidates[0];
    if (e?.source === undefined) continue;
    out.set(`${e.name} ${e.version} ${e.source}`, { name: e.name, version: e.version, source: e.source, ...(e.checksum ? { checksum: e.checksum } : {}) });
  }
  return [...out.values()].sort((a, b) => compare(a.name, b.name) || compare(a.version, b.version));
}

/** Cargo.lock's `git+<url>#<rev>` and cargo's display `<url>#<rev>` name one source: compared without scheme prefix and revision. */
const sameSource = (lock: string, shown: string): boolean => {
  const bare = (s: string): string => s.replace(/^[a-z]+\+/, "").split("#")[0] ?? s;
  return bare(lock) === bare(shown);
};

interface LockEntry {
  readonly name: string;
  readonly version: string;
  readonly source?: string;
  /** A SHA-256 in hex; Debian's "Could not get crate checksum" and the like are no checksum. */
  readonly checksum?: string;
}

/** Cargo.lock's [[package]] entries. */
function lockEntries(lock: string): LockEntry[] {
  const out: LockEntry[] = [];
  for (const block of lock.split(/\n(?=\[\[package\]\])/)) {
    if (!block.startsWith("[[package]]")) continue;
    const name = /^name\s*=\s*"([^"]*)"/m.exec(block)?.[1];
    const version = /^version\s*=\s*"([^"]*)"/m.exec(block)?.[1];
    const source = /^source\s*=\s*"([^"]*)"/m.exec(block)?.[1];
    const sum = /^checksum\s*=\s*"([0-9a-f]{64})"/m.exec(block)?.[1];
    if (name && version) out.push({ name, version, ...(source ? { source } : {}), ...(sum ? { checksum: sum } : {}) });
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
