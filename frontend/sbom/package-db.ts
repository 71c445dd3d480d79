// Reads whichever package database a root really has: apk's
// (/lib/apk/db/installed) or dpkg's (/var/lib/dpkg/status). Takes a root so a
// sysroot (/<triple>, with its own database) reads the same way as `/`. Never
// invents one: a root with neither database has no packages to name.

import { APK_INSTALLED, parseApkInstalled } from "./apk.js";
import { DPKG_STATUS, dpkgCopyrightPath, dpkgListPaths, dpkgPackage, parseDpkgList, parseDpkgStatus, type DpkgEntry } from "./dpkg.js";
import { parseOsRelease } from "./os-release.js";
import { joinRoot, type RootFs } from "./root-fs.js";
import type { InstalledPackage } from "./types.js";

export interface PackageDb {
  readonly manager: "dpkg" | "apk";
  readonly root: string;
  readonly packages: readonly InstalledPackage[];
  /** The files each package installed (absolute paths inside the root). */
  fileLists(): Promise<ReadonlyMap<InstalledPackage, readonly string[]>>;
}

const utf8 = new TextDecoder();

/** Up to this many file reads at once: enough to hide round trips, few enough not to flood the daemon. */
const CONCURRENCY = 16;

export async function readPackageDb(fs: RootFs, root: string): Promise<PackageDb | undefined> {
  const osRelease = (await fs.readFile(joinRoot(root, "etc/os-release"))) ?? (await fs.readFile(joinRoot(root, "usr/lib/os-release")));
  const distro = osRelease ? parseOsRelease(utf8.decode(osRelease)) : undefined;

  const apk = await fs.readFile(joinRoot(root, APK_INSTALLED));
  if (apk !== undefined) {
    const entries = parseApkInstalled(utf8.decode(apk), root, distro);
    const lists = new Map(entries.map((e) => [e.package, e.files.map((f) => joinRoot(root, f.slice(1)))] as const));
    return { manager: "apk", root, packages: entries.map((e) => e.package), fileLists: () => Promise.resolve(lists) };
  }

  const status = await fs.readFile(joinRoot(root, DPKG_STATUS));
  if (status === undefined) return undefined;
  const entries = parseDpkgStatus(utf8.decode(status));
  // One ReadFile per package for its license and one for its file list: a
  // hundred or more round trips, so the lists are fetched while the licenses
  // are, not after (a build with an SBOM always needs both).
  const listTexts = mapLimit(entries, (e) => readDpkgList(fs, root, e));
  listTexts.catch(() => undefined); // observed by fileLists(); an early failure elsewhere must not leave it unhandled
  const copyrights = await mapLimit(entries, (e) => fs.readFile(joinRoot(root, dpkgCopyrightPath(e))));
  const packages = entries.map((e, i) => {
    const c = copyrights[i];
    return dpkgPackage(e, root, c !== undefined ? utf8.decode(c) : undefined, distro);
  });
  const lists = listTexts.then((texts) => new Map(packages.map((p, i) => [p, parseDpkgList(texts[i] ?? "").map((f) => joinRoot(root, f.slice(1)))] as const)));
  return { manager: "dpkg", root, packages, fileLists: () => lists };
}

async function readDpkgList(fs: RootFs, root: string, e: DpkgEntry): Promise<string> {
  for (const path of dpkgListPaths(e)) {
    const data = await fs.readFile(joinRoot(root, path));
    if (data !== undefined) return utf8.decode(data);
  }
  return "";
}

/** `fn` over `items`, at most CONCURRENCY at a time, results in order. */
async function mapLimit<T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
  return out;
}
