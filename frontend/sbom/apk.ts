// Alpine's package database, /lib/apk/db/installed: one block per package,
// blank lines between blocks, `X:value` lines. P name, V version, A
// architecture, L license, o origin (source package), m maintainer, U URL;
// F a directory (relative to the root) and R a file in the last F.

import { apkLicense } from "./licenses.js";
import type { InstalledPackage } from "./types.js";

export const APK_INSTALLED = "lib/apk/db/installed";

export interface ApkEntry {
  readonly package: InstalledPackage;
  /** Absolute paths of the files it installed. */
  readonly files: readonly string[];
}

export function parseApkInstalled(text: string, root: string, distro: InstalledPackage["distro"]): ApkEntry[] {
  const out: ApkEntry[] = [];
  for (const block of text.split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    const files: string[] = [];
    let dir = "";
    for (const line of block.split("\n")) {
      if (line.length < 2 || line[1] !== ":") continue;
      const key = line[0] ?? "";
      const value = line.slice(2);
      if (key === "F") dir = value;
      else if (key === "R") files.push(`/${dir === "" ? "" : `${dir}/`}${value}`);
      else if (!fields.has(key)) fields.set(key, value);
    }
    const name = fields.get("P");
    const version = fields.get("V");
    if (name === undefined || version === undefined) continue;
    const maintainer = fields.get("m");
    const homepage = fields.get("U");
    out.push({
      package: {
        manager: "apk",
        name,
        version,
        architecture: fields.get("A") ?? "noarch",
        origin: fields.get("o") ?? name,
        ...(maintainer !== undefined ? { maintainer } : {}),
        ...(homepage !== undefined ? { homepage } : {}),
        license: apkLicense(fields.get("L")),
        root,
        ...(distro !== undefined ? { distro } : {}),
      },
      files,
    });
  }
  return out.sort((a, b) => (a.package.name < b.package.name ? -1 : a.package.name > b.package.name ? 1 : 0));
}
