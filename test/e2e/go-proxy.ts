// A Go module proxy on disk, made at test time from a Debian `golang-*-dev`
// package, so the download op can be proven with a real third-party module
// that is never copied into this repository and with no network in the build.
//
// The proxy is the GOPROXY protocol as files (`GOPROXY=file:///dir`):
//   <module>/@v/list            the versions, one a line
//   <module>/@v/<v>.info        {"Version": ..., "Time": ...}
//   <module>/@v/<v>.mod         the module's go.mod
//   <module>/@v/<v>.zip         every file, each named `<module>@<v>/<path>`
// and go.sum lines are computed as the go command does (golang.org/x/mod's
// dirhash.Hash1): "h1:" + base64(sha256 of the lines "<sha256 hex>  <name>\n",
// sorted by name), over the zip's names for the module, over the single name
// "go.mod" for its go.mod.

import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { crc32 } from "node:zlib";
import { run } from "./run.js";

export interface ProxiedModule {
  readonly path: string;
  readonly version: string;
  /** The two go.sum lines for this module. */
  readonly goSum: string;
}

const REPO = resolve(import.meta.dirname, "../..");

/** Debian's package `pkg` from `suite` (apt-get download, dpkg-deb -x: nothing is installed on the host); the unpacked root. */
export async function debianPackage(pkg: string, suite: string): Promise<{ root: string; version: string }> {
  const base = process.env["SPECK_TESTBED_DIR"] ?? join(REPO, ".cache/testbed");
  const state = join(base, "dl", `apt-go-${suite}`);
  // The mirror is the host's, read at run time; its name is written nowhere.
  const sources = await readFile(process.env["SPECK_APT_SOURCES"] ?? "/etc/apt/sources.list.d/debian.sources", "utf8");
  const mirror = /^URIs:\s*(\S+)/m.exec(sources)?.[1];
  if (!mirror) throw new Error("no URIs: line in the host's debian.sources");
  await mkdir(join(state, "lists/partial"), { recursive: true });
  await mkdir(join(state, "cache/archives/partial"), { recursive: true });
  await writeFile(join(state, "sources.list"), `deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] ${mirror} ${suite} main\n`);
  const opts = ["-o", `Dir::Etc::sourcelist=${join(state, "sources.list")}`, "-o", "Dir::Etc::sourceparts=-", "-o", `Dir::State::Lists=${join(state, "lists")}`, "-o", `Dir::Cache=${join(state, "cache")}`, "-o", "APT::Sandbox::User=root"];
  const lists = await readdir(join(state, "lists"));
  if (!lists.some((f) => f.endsWith("_Packages"))) await run(["apt-get", "-qq", ...opts, "update"]);
  const dir = await mkdtemp(join(tmpdir(), "speck-deb-"));
  await run(["apt-get", "-qq", ...opts, "download", pkg], { cwd: dir });
  const deb = (await readdir(dir)).find((f) => f.endsWith(".deb"));
  if (!deb) throw new Error(`apt-get download ${pkg} gave no .deb`);
  await run(["dpkg-deb", "-x", join(dir, deb), join(dir, "root")]);
  const version = (await run(["dpkg-deb", "-f", join(dir, deb), "Version"])).stdout.trim();
  return { root: join(dir, "root"), version };
}

/** Writes `module` at `version` from the directory `src` into the proxy tree `proxy`. */
export async function addToProxy(proxy: string, module: string, version: string, src: string): Promise<ProxiedModule> {
  const files = (await readdir(src, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => relative(src, join(e.parentPath, e.name)).split("\\").join("/")).sort();
  const entries = await Promise.all(files.map(async (f) => ({ name: `${module}@${version}/${f}`, data: await readFile(join(src, f)) })));
  const goMod = files.includes("go.mod") ? await readFile(join(src, "go.mod")) : Buffer.from(`module ${module}\n`);
  const dir = join(proxy, escapePath(module), "@v");
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "list"), `${version}\n`);
  await writeFile(join(dir, `${version}.info`), `${JSON.stringify({ Version: version, Time: "2024-01-01T00:00:00Z" })}\n`);
  await writeFile(join(dir, `${version}.mod`), goMod);
  await writeFile(join(dir, `${version}.zip`), storedZip(entries));
  const goSum = `${module} ${version} ${hash1(entries)}\n${module} ${version}/go.mod ${hash1([{ name: "go.mod", data: goMod }])}\n`;
  return { path: module, version, goSum };
}

/** dirhash.Hash1. */
export function hash1(files: readonly { name: string; data: Uint8Array }[]): string {
  const lines = [...files]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((f) => `${createHash("sha256").update(f.data).digest("hex")}  ${f.name}\n`)
    .join("");
  return `h1:${createHash("sha256").update(lines).digest("base64")}`;
}

/** Upper-case letters become `!` plus the lower-case letter, as module caches and proxies spell paths. */
function escapePath(path: string): string {
  return path.replace(/[A-Z]/g, (c) => `!${c.toLowerCase()}`);
}

/** A zip archive with every entry stored (no compression): all the go command needs to read it. */
export function storedZip(entries: readonly { name: string; data: Uint8Array }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, "utf8");
    const crc = crc32(e.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // names are UTF-8
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt16LE(0, 10); // time 00:00
    local.writeUInt16LE(0x21, 12); // date 1980-01-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(e.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(0, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(e.data.length, 20);
    central.writeUInt32LE(e.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, Buffer.from(e.data));
    centrals.push(central, name);
    offset += local.length + name.length + e.data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}
