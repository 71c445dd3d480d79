// Debian's package database: /var/lib/dpkg/status lists what is installed
// (deb822 paragraphs), /var/lib/dpkg/info/<name>[:<arch>].list the files each
// package installed, /usr/share/doc/<name>/copyright its licenses.

import { debianCopyrightLicense, NO_LICENSE, parseDeb822 } from "./licenses.js";
import type { InstalledPackage, PackageLicense } from "./types.js";

export const DPKG_STATUS = "var/lib/dpkg/status";

export interface DpkgEntry {
  readonly name: string;
  readonly version: string;
  readonly architecture: string;
  readonly origin: string;
  readonly multiArchSame: boolean;
  readonly maintainer?: string;
  readonly homepage?: string;
}

/** Installed packages in a status file (`Status: install ok installed`), sorted by name and architecture. */
export function parseDpkgStatus(text: string): DpkgEntry[] {
  const out: DpkgEntry[] = [];
  for (const p of parseDeb822(text)) {
    const name = p.get("package");
    const version = p.get("version");
    const status = (p.get("status") ?? "").split(/\s+/);
    // Removed packages keep a paragraph with `config-files` (or `not-installed`).
    if (name === undefined || version === undefined || status[2] !== "installed") continue;
    const architecture = p.get("architecture") ?? "all";
    // `Source: gcc-12 (12.2.0-14)`: the name; the version in brackets is the source's when it differs.
    const origin = (p.get("source") ?? name).split(/\s+/)[0] ?? name;
    const maintainer = p.get("maintainer");
    const homepage = p.get("homepage");
    out.push({
      name,
      version,
      architecture,
      origin,
      multiArchSame: p.get("multi-arch") === "same",
      ...(maintainer !== undefined ? { maintainer } : {}),
      ...(homepage !== undefined ? { homepage } : {}),
    });
  }
  return out.sort((a, b) => (a.name === b.name ? (a.architecture < b.architecture ? -1 : 1) : a.name < b.name ? -1 : 1));
}

/**
 * Where dpkg keeps a package's file list: `<name>:<arch>.list` for packages
 * that may be installed for several architectures (Multi-Arch: same), else
 * `<name>.list`. Both are tried, that one first.
 */
export function dpkgListPaths(e: DpkgEntry): string[] {
  const qualified = `var/lib/dpkg/info/${e.name}:${e.architecture}.list`;
  const plain = `var/lib/dpkg/info/${e.name}.list`;
  return e.multiArchSame ? [qualified, plain] : [plain, qualified];
}

export function dpkgCopyrightPath(e: DpkgEntry): string {
  return `usr/share/doc/${e.name}/copyright`;
}

export function dpkgPackage(e: DpkgEntry, root: string, copyright: string | undefined, distro: InstalledPackage["distro"]): InstalledPackage {
  const license: PackageLicense = copyright !== undefined ? debianCopyrightLicense(copyright) : NO_LICENSE;
  return {
    manager: "dpkg",
    name: e.name,
    version: e.version,
    architecture: e.architecture,
    origin: e.origin,
    ...(e.maintainer !== undefined ? { maintainer: e.maintainer } : {}),
    ...(e.homepage !== undefined ? { homepage: e.homepage } : {}),
    license,
    root,
    ...(distro !== undefined ? { distro } : {}),
  };
}

/** A `.list` file: one absolute path per line (directories too). */
export function parseDpkgList(text: string): string[] {
  return text.split("\n").filter((l) => l.startsWith("/"));
}
