// What speck is: the frontend image name the examples and `speck init` put on
// their `# syntax=` line (README.md shows how to build it and push it under
// another name), and the version identity every build reports.

import pkg from "../package.json" with { type: "json" };

export const FRONTEND_IMAGE = "local/speck";

/** The same three values as the frontend image's OCI labels (Dockerfile). */
export interface SpeckIdentity {
  /** org.opencontainers.image.version */
  readonly version: string;
  /** org.opencontainers.image.revision: the git commit */
  readonly revision: string;
  /** org.opencontainers.image.source */
  readonly source: string;
}

export const UNKNOWN = "unknown";

// Replaced by scripts/bundle.mjs (esbuild `define`) with what scripts/identity.mjs found. Run from
// the TypeScript sources (tsx, vitest) nothing stamps a revision, and speck does not guess one.
declare const __SPECK_IDENTITY__: SpeckIdentity | undefined;

export const SPECK_IDENTITY: SpeckIdentity = Object.freeze(
  typeof __SPECK_IDENTITY__ === "object" ? { ...__SPECK_IDENTITY__ } : { version: pkg.version, revision: UNKNOWN, source: UNKNOWN },
);

/** The first progress line of every build, so that a bug report names the frontend: `speck 0.1.0 (rev 0a07fe9)`. */
export function versionLine(id: SpeckIdentity = SPECK_IDENTITY): string {
  const rev = /^[0-9a-f]{40}$/.test(id.revision) ? id.revision.slice(0, 7) : id.revision;
  return `speck ${id.version} (rev ${rev})`;
}

/** What `speck version` prints: the labels' three values, one per line. */
export function versionText(id: SpeckIdentity = SPECK_IDENTITY): string {
  return `version:  ${id.version}\nrevision: ${id.revision}\nsource:   ${id.source}\n`;
}
