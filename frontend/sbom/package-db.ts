// Reads whichever package database a root really has: apk's
// (/lib/apk/db/installed) or dpkg's (/var/lib/dpkg/status). Takes a root so a
// sysroot (/<triple>, with its own database) reads the same way as `/`. Never
// invents one: a root with neither database has no packages to name.

import { APK_INSTALLED, parseApkInstalled } from "./apk.js";
import { DPKG_STATUS, dpkgCopyrightPath, dpkgListPaths, dpkgPackage, parseDpkgList, parseDpkgStatus, type DpkgEntry } from "./dpkg.js";
import { parseOsRelease } from "./os-release.js";
import { joinRoot, readEach, type RootFs } from "./root-fs.js";
import type { InstalledPackage } from "./types.js";

export interface PackageDb {
  readonly manager: "dpkg" | "apk";
  readonly root: string;
  readonly packages: readonly InstalledPackage[];
  /** The files each package installed (absolute paths inside the root). */
  fileLists(): Promise<ReadonlyMap<InstalledPackage, readonly string[]>>;
}

const utf8 = new TextDecoder();

export async function readPackageDb(fs: RootFs, root: string): Promise<PackageDb | undefined> {
  // Independent round trips, so at once: which database exists, and the distribution.
  const [etcOsRelease, libOsRelease, apk, status] = await Promise.all(
    ["etc/os-release", "usr/lib/os-release", APK_INSTALLED, DPKG_STATUS].map((p) => fs.readFile(joinRoot(root, p))),
  );
  const osRelease = etcOsRelease ?? libOsRelease;
  const distro = osRelease ? parseOsRelease(utf8.decode(osRelease)) : undefined;

  if (apk !== undefined) {
    const entries = parseApkInstalled(utf8.decode(apk), root, distro);
    const lists = new Map(entries.map((e) => [e.package, e.files.map((f) => joinRoot(root, f.slice(1)))] as const));
    return { manager: "apk", root, packages: entries.map((e) => e.package), fileLists: () => Promise.resolve(lists) };
  }

  if (status === undefined) return undefined;
  const entries = parseDpkgStatus(utf8.decode(status));
  // Per package, its license (copyright file) and its file list: a few
  // hundred small files, read at once when the tree can (RootFs.readMany).
  const wanted = entries.flatMap((e) => [dpkgCopyrightPath(e), ...dpkgListPaths(e)].map((p) => joinRoot(root, p)));
  const files = fs.readMany ? await fs.readMany(wanted) : await readEach(fs, wanted);
  const text = (rel: string): string | undefined => {
    const data = files.get(joinRoot(root, rel));
    return data === undefined ? undefined : utf8.decode(data);
  };
  const packages = entries.map((e) => dpkgPackage(e, root, text(dpkgCopyrightPath(e)), distro));
  const lists = new Map(packages.map((p, i) => [p, listOf(entries[i] as DpkgEntry)] as const));
  function listOf(e: DpkgEntry): string[] {
    const found = dpkgListPaths(e).map(text).find((t) => t !== undefined);
    return parseDpkgList(found ?? "").map((f) => joinRoot(root, f.slice(1)));
  }
  return { manager: "dpkg", root, packages, fileLists: () => Promise.resolve(lists) };
}
