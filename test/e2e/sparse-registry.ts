// A cargo sparse registry on 127.0.0.1, for tests of the fetch op's network path: Debian's crates
// (crates.ts: a cargo directory source, each crate unpacked with its normalized Cargo.toml) served
// as cargo's sparse protocol serves them, so `cargo fetch --locked` with the network really
// downloads them, from this machine's loopback and nowhere else. It counts what it serves, so a
// test can show the crates came from it, and can serve a crate whose bytes do not match the
// checksum its index line gives (the negative control: cargo must refuse it).
//
// Every format fact is cargo's (github:rust-lang/cargo at af373f7, doc/book/src/reference/
// registry-index.md, "Index Format"; and the code that reads it):
// - The registry URL is `sparse+http://.../` and must end in a slash (src/sources/registry/
//   http_remote.rs, HttpBackend::new: "sparse registry url must end in a slash"). Cargo fetches
//   `config.json` first (registry-index.md, "Sparse authentication"); its `dl` is the download
//   URL; with none of the markers {crate}, {version}, {prefix}, {lowerprefix}, {sha256-checksum}
//   in it, cargo appends `/{crate}/{version}/download` (crates/cargo-util/src/registry.rs
//   crate_url). `api` is optional and only for publishing.
// - An index file per package, named by the lower-cased name: 1/<n>, 2/<n>, 3/<first char>/<n>,
//   else <first two>/<next two>/<n> (registry.rs make_dep_path; registry-index.md "Index
//   files"). One JSON object a line, one line a version (crates/cargo-util-schemas/src/index.rs
//   IndexPackage: name, vers, deps, features, cksum, yanked, links, rust_version, v). A crate
//   the registry lacks is a 404 (registry-index.md, "Nonexistent Crates").
// - A dependency (index.rs RegistryDependency): name (the name in the manifest: a renamed
//   dependency's real name goes in `package`), req, features, optional, default_features
//   (true unless said), target (a cfg string or null), kind ("normal", "dev", "build"),
//   registry (null: this registry), package. Cargo 1.84 and later default the missing ones;
//   the double's cargo is 1.85, and every field is written anyway.
// - `cksum` is the sha256 of the .crate file; cargo checks the downloaded bytes against it
//   before anything else ("failed to verify the checksum of `{pkg}`", src/sources/registry/
//   download.rs finish_download), and a Cargo.lock's checksum against it when it reads the lock.
// - A .crate is a gzip'd tar whose every entry is under `<name>-<version>/` and is a regular file
//   or a directory ("invalid tarball downloaded, ..." otherwise: src/sources/registry/mod.rs
//   unpack). Debian's packaging (debian/) and the directory source's own .cargo-checksum.json
//   are not part of a crate and are left out. The archive is the same bytes every time: entries
//   sorted, owner 0:0, a fixed time, gzip with no name and time 0.

import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { parse } from "smol-toml";
import { STANDIN } from "./alpine.js";
import type { DirectorySource } from "./crates.js";
import type { Daemon } from "./daemon.js";
import { docker } from "./docker.js";

/** One request the registry answered. */
export interface ServedRequest {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** The peer's address: always the loopback, as the server listens on 127.0.0.1 only. */
  readonly from: string;
  /**
   * Sent to the server as to an HTTP proxy (the request line names the whole URL, RFC 9112 3.2.2
   * absolute-form): a client with `http_proxy` pointing here. It answers for its own origin only.
   */
  readonly proxied: boolean;
}

/** One crate as the registry serves it. */
export interface ServedCrate {
  readonly name: string;
  readonly version: string;
  /** The .crate file. */
  readonly archive: Buffer;
  /** sha256 of `archive`, as the index line's `cksum`. */
  readonly cksum: string;
  /** The index line (JSON, no newline). */
  readonly line: string;
}

export interface SparseRegistry {
  /** `sparse+http://127.0.0.1:<port>/index/`: what `registry =` in a cargo config names. */
  readonly url: string;
  readonly port: number;
  readonly crates: readonly ServedCrate[];
  /** Every request so far, in order. */
  readonly requests: readonly ServedRequest[];
  /** `<name>-<version>` of every .crate served whole (status 200), in order. */
  downloads(): string[];
  /** From now on, serve `<name>-<version>`'s .crate with other bytes than its cksum says. */
  tamper(dir: string): void;
  close(): Promise<void>;
}

/** The index file's path for a package (cargo's make_dep_path on the lower-cased name). */
export function indexPath(name: string): string {
  const n = name.toLowerCase();
  if (n.length === 1) return `1/${n}`;
  if (n.length === 2) return `2/${n}`;
  if (n.length === 3) return `3/${n.slice(0, 1)}/${n}`;
  return `${n.slice(0, 2)}/${n.slice(2, 4)}/${n}`;
}

type Table = Record<string, unknown>;
const isTable = (v: unknown): v is Table => typeof v === "object" && v !== null && !Array.isArray(v);

/** The dependency tables of a manifest, as cargo names their kinds, for one target (null: every target). */
function dependencyLines(tables: Table, target: string | null): object[] {
  const out: object[] = [];
  const kinds: [string, string][] = [["dependencies", "normal"], ["dev-dependencies", "dev"], ["dev_dependencies", "dev"], ["build-dependencies", "build"], ["build_dependencies", "build"]];
  for (const [key, kind] of kinds) {
    const deps = tables[key];
    if (!isTable(deps)) continue;
    for (const [name, spec] of Object.entries(deps)) {
      const d: Table = typeof spec === "string" ? { version: spec } : isTable(spec) ? spec : {};
      const defaultFeatures = d["default-features"] ?? d["default_features"];
      out.push({
        name,
        req: typeof d["version"] === "string" ? d["version"] : "*",
        features: Array.isArray(d["features"]) ? d["features"] : [],
        optional: d["optional"] === true,
        default_features: defaultFeatures !== false,
        target,
        kind,
        registry: null,
        package: typeof d["package"] === "string" ? d["package"] : null,
      });
    }
  }
  return out;
}

/** The index line of a crate from its (normalized) Cargo.toml and its .crate's checksum. */
export function indexLine(manifest: string, cksum: string): { name: string; vers: string; line: string } {
  const m = parse(manifest) as Table;
  const pkg = m["package"];
  if (!isTable(pkg) || typeof pkg["name"] !== "string" || typeof pkg["version"] !== "string") throw new Error("a crate's Cargo.toml without [package] name and version");
  const deps = dependencyLines(m, null);
  const targets = m["target"];
  if (isTable(targets)) for (const [cfg, t] of Object.entries(targets)) if (isTable(t)) deps.push(...dependencyLines(t, cfg));
  const features = isTable(m["features"]) ? m["features"] : {};
  const entry = {
    name: pkg["name"],
    vers: pkg["version"],
    deps,
    cksum,
    features,
    yanked: false,
    links: typeof pkg["links"] === "string" ? pkg["links"] : null,
    ...(typeof pkg["rust-version"] === "string" ? { rust_version: pkg["rust-version"] } : {}),
  };
  return { name: pkg["name"], vers: pkg["version"], line: JSON.stringify(entry) };
}

/** Files of a crate directory, relative, sorted bytewise; Debian's packaging and the directory source's checksum file left out. */
function crateFiles(dir: string, rel = ""): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
    const path = rel === "" ? e.name : `${rel}/${e.name}`;
    if (rel === "" && (e.name === "debian" || e.name === ".cargo-checksum.json")) continue;
    if (e.isDirectory()) out.push(...crateFiles(dir, path));
    else if (e.isFile()) out.push(path);
    else throw new Error(`${join(dir, path)}: not a regular file (a .crate holds only files and directories)`);
  }
  return out.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

/** A ustar header block (POSIX.1-1988): name split into prefix/name when it is longer than 100 bytes. */
function tarHeader(path: string, size: number, mode: number): Buffer {
  const h = Buffer.alloc(512);
  let name = path;
  let prefix = "";
  if (Buffer.byteLength(name) > 100) {
    const cut = path.lastIndexOf("/", 155);
    if (cut <= 0 || Buffer.byteLength(path.slice(cut + 1)) > 100) throw new Error(`${path}: too long for a ustar header`);
    prefix = path.slice(0, cut);
    name = path.slice(cut + 1);
  }
  const octal = (v: number, width: number) => `${v.toString(8).padStart(width - 1, "0")}\0`;
  h.write(name, 0, 100, "utf8");
  h.write(octal(mode, 8), 100, "ascii");
  h.write(octal(0, 8), 108, "ascii");
  h.write(octal(0, 8), 116, "ascii");
  h.write(octal(size, 12), 124, "ascii");
  h.write(octal(ARCHIVE_MTIME, 12), 136, "ascii");
  h.write("        ", 148, "ascii");
  h.write("0", 156, "ascii");
  h.write("ustar\0", 257, "ascii");
  h.write("00", 263, "ascii");
  h.write(prefix, 345, 155, "utf8");
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, "ascii");
  return h;
}

/** Every entry's time: fixed, so the archive (and its cksum) is the same bytes on every run. */
const ARCHIVE_MTIME = 1;

/** The .crate of a crate directory: a gzip'd ustar of `<name>-<version>/<file>` entries. */
export function crateArchive(dir: string, name: string, version: string): Buffer {
  const blocks: Buffer[] = [];
  for (const f of crateFiles(dir)) {
    const data = readFileSync(join(dir, f));
    const mode = statSync(join(dir, f)).mode & 0o111 ? 0o755 : 0o644;
    blocks.push(tarHeader(`${name}-${version}/${f}`, data.length, mode), data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  // Node's gzip header has no file name and time 0: the bytes depend only on the tar and the level.
  return gzipSync(Buffer.concat(blocks), { level: 9 });
}

/** Every crate of `source`, as the registry serves it. */
export function servedCrates(source: DirectorySource): ServedCrate[] {
  return source.crates.map((c) => {
    const dir = join(source.dir, c.dir);
    const archive = crateArchive(dir, c.name, c.version);
    const cksum = createHash("sha256").update(archive).digest("hex");
    const { name, vers, line } = indexLine(readFileSync(join(dir, "Cargo.toml"), "utf8"), cksum);
    if (name !== c.name || vers !== c.version) throw new Error(`${dir}: Cargo.toml says ${name} ${vers}`);
    return { name, version: vers, archive, cksum, line };
  });
}

/** Starts the registry on 127.0.0.1 (a free port). */
export async function sparseRegistry(source: DirectorySource): Promise<SparseRegistry> {
  const crates = servedCrates(source);
  const requests: ServedRequest[] = [];
  const tampered = new Set<string>();
  const byIndexPath = new Map<string, string[]>();
  for (const c of crates) byIndexPath.set(indexPath(c.name), [...(byIndexPath.get(indexPath(c.name)) ?? []), c.line]);
  let port = 0;

  const answer = (req: IncomingMessage, res: ServerResponse): void => {
    const raw = req.url ?? "/";
    const proxied = /^http:\/\//i.test(raw);
    const url = new URL(raw, `http://127.0.0.1:${port}`);
    const path = url.pathname;
    const send = (status: number, body: string | Buffer, type: string): void => {
      requests.push({ method: req.method ?? "", path, status, from: req.socket.remoteAddress ?? "", proxied });
      res.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(body) });
      res.end(req.method === "HEAD" ? undefined : body);
    };
    // As a proxy it forwards nowhere: only requests for its own origin are answered.
    if (proxied && url.host !== `127.0.0.1:${port}`) return send(403, `this proxy answers only for 127.0.0.1:${port}\n`, "text/plain");
    if (req.method !== "GET" && req.method !== "HEAD") return send(405, "GET only\n", "text/plain");
    if (path === "/index/config.json") return send(200, JSON.stringify({ dl: `http://127.0.0.1:${port}/crates` }), "application/json");
    if (path.startsWith("/index/")) {
      const lines = byIndexPath.get(path.slice("/index/".length));
      return lines ? send(200, `${lines.join("\n")}\n`, "text/plain") : send(404, "no such crate\n", "text/plain");
    }
    const dl = /^\/crates\/([^/]+)\/([^/]+)\/download$/.exec(path);
    const crate = dl && crates.find((c) => c.name === dl[1] && c.version === dl[2]);
    if (crate) {
      const key = `${crate.name}-${crate.version}`;
      // A valid archive with the same files, only other bytes: the gzip header's time field (bytes 4-7) set.
      const body = tampered.has(key) ? Buffer.concat([crate.archive.subarray(0, 4), Buffer.from([1, 0, 0, 0]), crate.archive.subarray(8)]) : crate.archive;
      return send(200, body, "application/gzip");
    }
    return send(404, "not found\n", "text/plain");
  };

  const server = createServer(answer);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `sparse+http://127.0.0.1:${port}/index/`,
    port,
    crates,
    requests,
    downloads: () => requests.filter((r) => r.status === 200 && r.path.startsWith("/crates/")).map((r) => r.path.split("/").slice(2, 4).join("-")),
    tamper: (dir) => {
      if (!crates.some((c) => `${c.name}-${c.version}` === dir)) throw new Error(`no crate ${dir} to tamper with`);
      tampered.add(dir);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A `.cargo/config.toml` that replaces cargo's default registry with `registry` (and tries a refused connection once). */
export function loopbackConfig(registry: Pick<SparseRegistry, "url">): string {
  // `crates-io` is the default registry's source name in cargo's config, not a host.
  return [
    "[source.crates-io]",
    'replace-with = "speck-loopback"',
    "",
    "[source.speck-loopback]",
    `registry = "${registry.url}"`,
    "",
    "# A connection the sandbox network refuses is not retried (cargo's default is 3 tries, with waits).",
    "[net]",
    "retry = 0",
    "",
  ].join("\n");
}

/**
 * Writes `<project>/Cargo.lock` against `registry` with the double's own cargo (1.85, in the Alpine
 * stand-in) over the host's network, as crates.ts writeLock does against a directory source: the
 * project's `.cargo/config.toml` (loopbackConfig) already points cargo at the registry, so the only
 * address cargo reaches is 127.0.0.1. (The stand-in's apk.sh starts its package mirror on
 * 127.0.0.1:8322 of the container's network, here the host's, for the `apk add cargo`.) The lock
 * names cargo's default registry (source replacement keeps the replaced source in the lock) and the
 * registry's checksums, which do not depend on its port: it is kept per (manifests, index lines)
 * under the test bed's cache, and only the first call pays for the container.
 */
export async function writeSparseLock(daemon: Daemon, project: string, registry: SparseRegistry, cacheDir: string): Promise<void> {
  const h = createHash("sha256");
  for (const c of registry.crates) h.update(`${c.line}\n`);
  for (const m of ["Cargo.toml", ...readdirSync(project, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith("/Cargo.toml")).sort()]) h.update(`${m}\0`).update(readFileSync(join(project, m))).update("\0");
  const cached = join(cacheDir, `${h.digest("hex").slice(0, 32)}.lock`);
  if (!existsSync(cached)) {
    const script = 'apk add -q --no-progress cargo >/dev/null || exit 90; exec "$@"';
    await docker(daemon, [
      "run", "--rm", "--network=host", "-e", "CARGO_HOME=/tmp/cargo-home", "-w", "/project",
      "-v", `${resolve(project)}:/project`, STANDIN, "sh", "-c", script, "sh", "cargo", "generate-lockfile",
    ], { timeoutMs: 300_000 });
    mkdirSync(dirname(cached), { recursive: true });
    copyFileSync(join(project, "Cargo.lock"), `${cached}.tmp`);
    renameSync(`${cached}.tmp`, cached);
  } else {
    copyFileSync(cached, join(project, "Cargo.lock"));
  }
}
