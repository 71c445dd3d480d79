// Package URLs (github.com/package-url/purl-spec): `pkg:deb/debian/musl-dev@1.2.3-1?arch=amd64&distro=debian-12`,
// `pkg:apk/alpine/musl@1.2.5-r10?arch=x86_64&distro=alpine-3.22.0`. Scanners key vulnerability
// lookups on them. The namespace is the distribution's os-release ID; without one there is no purl.

import type { InstalledPackage } from "./types.js";

const TYPES = { dpkg: "deb", apk: "apk" } as const;

export function packageUrl(p: InstalledPackage): string | undefined {
  if (p.distro === undefined) return undefined;
  const qualifiers = [`arch=${encode(p.architecture)}`];
  if (p.distro.versionId !== undefined) qualifiers.push(`distro=${encode(`${p.distro.id}-${p.distro.versionId}`)}`);
  if (p.origin !== p.name) qualifiers.push(`upstream=${encode(p.origin)}`);
  // Qualifiers sorted by key, as the spec's canonical form asks.
  qualifiers.sort();
  return `pkg:${TYPES[p.manager]}/${encode(p.distro.id.toLowerCase())}/${encode(p.name)}@${encode(p.version)}?${qualifiers.join("&")}`;
}

/** Percent-encoding as the purl spec asks: `:` in a Debian epoch becomes %3A, `+` %2B. */
function encode(s: string): string {
  return encodeURIComponent(s);
}
