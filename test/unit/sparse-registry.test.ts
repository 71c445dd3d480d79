// The e2e tier's sparse registry double (test/e2e/sparse-registry.ts), against the facts it cites
// from cargo's source: the index path layout (cargo-util's make_dep_path tests, the same cases), the
// index line of a normalized manifest, the .crate archive, and what the server answers. That real
// cargo takes it, and refuses a crate whose bytes do not match, is test/e2e/rust-fetch.test.ts.

import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { crateArchive, indexLine, indexPath, loopbackConfig, sparseRegistry } from "../e2e/sparse-registry.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const MANIFEST = [
  "[package]",
  'name = "demo"',
  'version = "1.2.3"',
  'rust-version = "1.60"',
  'links = "z"',
  "",
  "[features]",
  'default = ["std"]',
  "std = []",
  'extra = ["dep:helper"]',
  "",
  "[dependencies.helper]",
  'version = "0.4"',
  "optional = true",
  "default-features = false",
  'features = ["a", "b"]',
  "",
  "[dependencies.short]",
  'version = "=2.0.1"',
  'package = "real-name"',
  "",
  "[dev-dependencies]",
  'tester = "1"',
  "",
  "[build-dependencies.cc]",
  'version = "1.0"',
  "",
  '[target."cfg(unix)".dependencies.libc]',
  'version = "0.2"',
  "",
].join("\n");

/** A directory source of one crate, as Debian lays it out (with its packaging and checksum file). */
function source(): { dir: string; crates: { name: string; version: string; dir: string; checksum: string }[] } {
  const dir = mkdtempSync(join(tmpdir(), "speck-sparse-"));
  dirs.push(dir);
  const c = join(dir, "demo-1.2.3");
  mkdirSync(join(c, "src"), { recursive: true });
  mkdirSync(join(c, "debian"));
  writeFileSync(join(c, "Cargo.toml"), '[package]\nname = "demo"\nversion = "1.2.3"\n\n[dependencies]\nitoa = "1"\n');
  writeFileSync(join(c, "src/lib.rs"), "pub fn f() {}\n");
  writeFileSync(join(c, "debian/changelog"), "not part of the crate\n");
  writeFileSync(join(c, ".cargo-checksum.json"), '{"package":"x","files":{}}');
  return { dir, crates: [{ name: "demo", version: "1.2.3", dir: "demo-1.2.3", checksum: "x" }] };
}

/** The entries of a ustar stream: name (prefix joined), type flag, mode, size. */
function tarEntries(tar: Buffer): { path: string; type: string; mode: number; size: number }[] {
  const out = [];
  for (let at = 0; at + 512 <= tar.length; ) {
    const h = tar.subarray(at, at + 512);
    if (h.every((b) => b === 0)) break;
    const str = (o: number, n: number) => h.subarray(o, o + n).toString("utf8").replace(/\0.*$/s, "");
    const size = parseInt(str(124, 12), 8);
    const prefix = str(345, 155);
    out.push({ path: prefix ? `${prefix}/${str(0, 100)}` : str(0, 100), type: str(156, 1), mode: parseInt(str(100, 8), 8), size });
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}

describe("the sparse registry double", () => {
  it("lays out index files as cargo's make_dep_path does (its own test cases), on the lower-cased name", () => {
    expect(["a", "ab", "abc", "abcd", "aBcDe", "serde_json", "syn"].map(indexPath)).toEqual(["1/a", "2/ab", "3/a/abc", "ab/cd/abcd", "ab/cd/abcde", "se/rd/serde_json", "3/s/syn"]);
  });

  it("writes an index line with every field cargo reads, dependencies of every kind and target", () => {
    const { name, vers, line } = indexLine(MANIFEST, "f".repeat(64));
    expect([name, vers]).toEqual(["demo", "1.2.3"]);
    const entry = JSON.parse(line) as Record<string, unknown>;
    expect(entry).toEqual({
      name: "demo",
      vers: "1.2.3",
      deps: [
        { name: "helper", req: "0.4", features: ["a", "b"], optional: true, default_features: false, target: null, kind: "normal", registry: null, package: null },
        { name: "short", req: "=2.0.1", features: [], optional: false, default_features: true, target: null, kind: "normal", registry: null, package: "real-name" },
        { name: "tester", req: "1", features: [], optional: false, default_features: true, target: null, kind: "dev", registry: null, package: null },
        { name: "cc", req: "1.0", features: [], optional: false, default_features: true, target: null, kind: "build", registry: null, package: null },
        { name: "libc", req: "0.2", features: [], optional: false, default_features: true, target: "cfg(unix)", kind: "normal", registry: null, package: null },
      ],
      cksum: "f".repeat(64),
      features: { default: ["std"], std: [], extra: ["dep:helper"] },
      yanked: false,
      links: "z",
      rust_version: "1.60",
    });
    expect(line).not.toContain("\n");
  });

  it("packs a .crate as a gzip'd ustar of files under <name>-<version>/, without Debian's packaging, the same bytes every time", () => {
    const s = source();
    const a = crateArchive(join(s.dir, "demo-1.2.3"), "demo", "1.2.3");
    expect(crateArchive(join(s.dir, "demo-1.2.3"), "demo", "1.2.3").equals(a)).toBe(true);
    expect([...a.subarray(0, 2)]).toEqual([0x1f, 0x8b]);
    expect(a.readUInt32LE(4)).toBe(0); // no time in the gzip header
    const entries = tarEntries(gunzipSync(a));
    expect(entries.map((e) => [e.path, e.type, e.mode])).toEqual([
      ["demo-1.2.3/Cargo.toml", "0", 0o644],
      ["demo-1.2.3/src/lib.rs", "0", 0o644],
    ]);
  });

  it("serves config.json, index files, .crate downloads (404 for the rest) on 127.0.0.1, counts them, and can serve bytes that do not match the cksum", async () => {
    const reg = await sparseRegistry(source());
    try {
      expect(reg.url).toBe(`sparse+http://127.0.0.1:${reg.port}/index/`);
      const get = async (path: string) => {
        const r = await fetch(`http://127.0.0.1:${reg.port}${path}`);
        return { status: r.status, body: Buffer.from(await r.arrayBuffer()) };
      };
      const config = JSON.parse((await get("/index/config.json")).body.toString()) as { dl: string };
      // No marker in `dl`: cargo appends /{crate}/{version}/download (cargo-util crate_url).
      expect(config).toEqual({ dl: `http://127.0.0.1:${reg.port}/crates` });
      const index = await get("/index/de/mo/demo");
      expect(index.status).toBe(200);
      const crate = reg.crates[0];
      expect(index.body.toString()).toBe(`${crate?.line}\n`);
      expect((await get("/index/it/oa/itoa")).status).toBe(404);
      const dl = await get("/crates/demo/1.2.3/download");
      expect(createHash("sha256").update(dl.body).digest("hex")).toBe(crate?.cksum);
      expect(JSON.parse(crate?.line ?? "{}").cksum).toBe(crate?.cksum);
      expect(reg.downloads()).toEqual(["demo-1.2.3"]);
      reg.tamper("demo-1.2.3");
      const bad = await get("/crates/demo/1.2.3/download");
      expect(bad.body.length).toBe(dl.body.length);
      expect(createHash("sha256").update(bad.body).digest("hex")).not.toBe(crate?.cksum);
      // Still a valid archive with the same files: only its digest is wrong.
      expect(gunzipSync(bad.body).equals(gunzipSync(dl.body))).toBe(true);
      // Asked as a proxy: its own origin is answered, any other refused (it forwards nowhere).
      const asProxy = async (target: string) =>
        new Promise<number>((done, fail) => {
          const r = request({ host: "127.0.0.1", port: reg.port, path: target, method: "GET" }, (res) => {
            res.resume();
            done(res.statusCode ?? 0);
          });
          r.on("error", fail);
          r.end();
        });
      expect(await asProxy(`http://127.0.0.1:${reg.port}/index/de/mo/demo`)).toBe(200);
      expect(await asProxy("http://127.0.0.1:1/index/de/mo/demo")).toBe(403);
      expect(reg.requests.slice(-2).map((q) => q.proxied)).toEqual([true, true]);
      expect(reg.requests.slice(0, -2).map((q) => `${q.status} ${q.path}`)).toEqual([
        "200 /index/config.json",
        "200 /index/de/mo/demo",
        "404 /index/it/oa/itoa",
        "200 /crates/demo/1.2.3/download",
        "200 /crates/demo/1.2.3/download",
      ]);
    } finally {
      await reg.close();
    }
  });

  it("writes a cargo config that replaces the default registry with the loopback one", () => {
    const text = loopbackConfig({ url: "sparse+http://127.0.0.1:1234/index/" });
    expect(text).toContain('[source.crates-io]\nreplace-with = "speck-loopback"\n');
    expect(text).toContain('[source.speck-loopback]\nregistry = "sparse+http://127.0.0.1:1234/index/"\n');
  });
});
