// The fetch op and `--network` (pipeline/network.ts), at the LLB: the NetMode
// each op is marshalled with, the refusal of --network=none, and the proxies,
// which BuildKit leaves out of the op's cache key.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { digestOf } from "../../../llb/index.js";
import { encodeOp } from "../../../llb/encode.js";
import * as pb from "../../../proto/llb.js";
import { UserError } from "../../errors.js";
import { offlineBuild } from "../../offline.js";
import type { NetworkSettings } from "../../pipeline/network.js";
import { parseSpec } from "../../speckfile/index.js";
import { explainPlan } from "../explain.js";
import { fetchFailed, fetchFailure } from "./prepare.js";
import { rustSpecPart } from "./spec-part.js";
import type { RustBuildPlan } from "./types.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function workspace(extra: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "speck-rust-net-"));
  dirs.push(dir);
  const files: Record<string, string> = {
    "speck.yaml": "language: rust\nsources: [.]\n",
    "Cargo.toml": '[package]\nname = "app"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\nitoa = "1"\n',
    "Cargo.lock": [
      "version = 4",
      "",
      "[[package]]",
      'name = "app"',
      'version = "0.1.0"',
      "dependencies = [",
      ' "itoa",',
      "]",
      "",
      "[[package]]",
      'name = "itoa"',
      'version = "1.0.14"',
      'source = "registry+file:///speck-test-index"',
      'checksum = "d75a2a4b1b190afb6f5425f10f6a8f959d2ea0b9c2b1d79553551850539e4674"',
      "",
    ].join("\n"),
    "src/main.rs": "fn main() {}\n",
    ...extra,
  };
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return join(dir, "speck.yaml");
}

const amd64 = { os: "linux", architecture: "amd64" };
const arm64 = { os: "linux", architecture: "arm64" };

interface Exec {
  readonly bytes: Uint8Array;
  readonly op: pb.Op;
  readonly args: readonly string[];
}

/** Every exec of the build for arm64 on amd64 (so the target root and the stdlib link are there too). */
function execs(file: string, network?: NetworkSettings): Exec[] {
  const def = offlineBuild(file, { platform: arm64, buildPlatform: amd64, ...(network ? { network } : {}) }).definition;
  return def.def.map((bytes) => ({ bytes, op: pb.decodeOp(bytes) })).filter((x) => x.op.exec).map((x) => ({ ...x, args: x.op.exec?.meta?.args ?? [] }));
}

function defOf(file: string, network?: NetworkSettings): readonly Uint8Array[] {
  return offlineBuild(file, { platform: arm64, buildPlatform: amd64, ...(network ? { network } : {}) }).definition.def;
}

/**
 * A model of BuildKit's cache keys, for proxy_env only: each op with its exec's
 * Meta.proxy_env cleared (CacheMap) and its inputs named by their own keys
 * instead of their digests. Ops come in def order, inputs first.
 */
function cacheKeys(def: readonly Uint8Array[]): string[] {
  const keyOf = new Map<string, string>();
  return def.map((bytes) => {
    const op = pb.decodeOp(bytes);
    const inputs = (op.inputs ?? []).map((i) => ({ ...i, digest: keyOf.get(i.digest ?? "") ?? i.digest ?? "" }));
    let exec = op.exec;
    if (exec?.meta?.proxyEnv) {
      const { proxyEnv: _cleared, ...meta } = exec.meta;
      exec = { ...exec, meta };
    }
    const key = digestOf(encodeOp({ ...op, inputs, ...(exec ? { exec } : {}) }));
    keyOf.set(digestOf(bytes), key);
    return key;
  });
}

const named = (all: Exec[], ...head: string[]): Exec => {
  const found = all.find((x) => head.every((h, i) => x.args[i] === h));
  if (found === undefined) throw new Error(`no exec ${head.join(" ")}`);
  return found;
};
const netOf = (x: Exec): number => x.op.exec?.network ?? pb.NetMode.UNSET;

describe("Rust: the fetch op and --network", () => {
  it("--network=host gives the fetch op and the apk installs NetMode HOST; every cargo compile and the stdlib link stay at NONE", () => {
    const all = execs(workspace(), { mode: "host" });
    expect(netOf(named(all, "cargo", "fetch"))).toBe(pb.NetMode.HOST);
    expect(netOf(named(all, "apk", "add", "--no-progress"))).toBe(pb.NetMode.HOST);
    const roots = all.filter((x) => x.args[0] === "apk" && x.args.includes("--root"));
    expect(roots.length).toBe(1);
    expect(roots.map(netOf)).toEqual([pb.NetMode.HOST]);
    expect(netOf(named(all, "cargo", "rustc"))).toBe(pb.NetMode.NONE);
    expect(netOf(named(all, "cargo", "build"))).toBe(pb.NetMode.NONE);
    expect(netOf(named(all, "ln"))).toBe(pb.NetMode.NONE);
    // Negative control: without --network the same ops are the sandbox (UNSET on the wire), as before.
    const plain = execs(workspace());
    expect(netOf(named(plain, "cargo", "fetch"))).toBe(pb.NetMode.UNSET);
    expect(netOf(named(plain, "apk", "add", "--no-progress"))).toBe(pb.NetMode.UNSET);
    expect(netOf(named(plain, "cargo", "build"))).toBe(pb.NetMode.NONE);
  });

  it("--network=none stops the build before any op with a located error that names the fetch op and what to give instead", () => {
    let error: unknown;
    try {
      execs(workspace(), { mode: "none" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserError);
    const message = (error as UserError).message;
    expect(message).toMatch(/^.*speck\.yaml:2:\d+: --network=none, but the fetch op \(cargo fetch --locked\) downloads the crates Cargo\.lock names and needs a network \(/);
    expect(message).toContain("a vendor/ directory with .cargo/config.toml (`cargo vendor`), or --build-context cargoregistry=<dir> (a cargo directory source)");
  });

  it("--network=none builds a vendored workspace: no fetch op, and the apk installs get NONE as asked", () => {
    const all = execs(workspace({ ".cargo/config.toml": '[source.crates-io]\nreplace-with = "v"\n\n[source.v]\ndirectory = "vendor"\n', "vendor/itoa-1.0.14/Cargo.toml": '[package]\nname = "itoa"\nversion = "1.0.14"\n' }), { mode: "none" });
    expect(all.some((x) => x.args[1] === "fetch")).toBe(false);
    expect(netOf(named(all, "apk", "add", "--no-progress"))).toBe(pb.NetMode.NONE);
    expect(netOf(named(all, "cargo", "build"))).toBe(pb.NetMode.NONE);
  });

  it("gives the fetch op and apk the proxy build args as proxy_env, which BuildKit leaves out of their cache keys: with it cleared, the ops are the build's without proxies", () => {
    const proxy = { httpProxy: "http://127.0.0.1:3128", noProxy: "localhost" };
    const file = workspace();
    const withProxy = defOf(file, { mode: "sandbox", proxy });
    const without = defOf(file);
    const fetchOf = (def: readonly Uint8Array[]) => def.findIndex((b) => pb.decodeOp(b).exec?.meta?.args?.[1] === "fetch");
    const a = fetchOf(withProxy);
    const b = fetchOf(without);
    expect(pb.decodeOp(withProxy[a] as Uint8Array).exec?.meta?.proxyEnv).toEqual(proxy);
    expect(pb.decodeOp(without[b] as Uint8Array).exec?.meta?.proxyEnv).toBeUndefined();
    // The Definition differs (an op's digest is of its bytes, and its inputs' digests are in them)...
    expect(digestOf(withProxy[a] as Uint8Array)).not.toBe(digestOf(without[b] as Uint8Array));
    // ...but BuildKit keys an exec on the op with Meta.proxy_env set to nil (solver/llbsolver/ops/exec.go
    // CacheMap) and on its inputs' keys: modelled here, the fetch op's key is the build's without proxies.
    expect(cacheKeys(withProxy)[a]).toBe(cacheKeys(without)[b]);
    // Negative control: the network mode is in the key, so --network=host is another key.
    const host = defOf(file, { mode: "host" });
    expect(cacheKeys(host)[fetchOf(host)]).not.toBe(cacheKeys(without)[b]);
    // The compile ops never see the proxies.
    expect(named(execs(file, { mode: "sandbox", proxy }), "cargo", "build").op.exec?.meta?.proxyEnv).toBeUndefined();
  });

  it("explain says which network the fetch op and apk get", () => {
    const file = workspace();
    const host = explainPlan(offlineBuild(file, { platform: amd64, buildPlatform: amd64, network: { mode: "host" } }).plan, { mode: "host" });
    expect(host).toMatch(/\n {2}fetch {9}cargo fetch --locked\n {16}with the host's network \(--network=host, NetMode HOST\), on the skeleton only/);
    expect(host).toContain("network   the host's network (--network=host, NetMode HOST), for apk and any op that downloads; every compile op has none");
    const plain = explainPlan(offlineBuild(file, { platform: amd64, buildPlatform: amd64 }).plan);
    expect(plain).toContain("with the build's sandbox network (the default; --network=host or --network=none change it), on the skeleton only");
  });

  it("a failed fetch op is told apart by BuildKit's message, and reported with all cargo said", () => {
    const plan = offlineBuild(workspace(), { platform: amd64, buildPlatform: amd64 }).plan as RustBuildPlan;
    expect(fetchFailed(new Error('process "cargo fetch --locked" did not complete successfully: exit code: 101'), plan)).toBe(true);
    expect(fetchFailed(new Error('process "cargo build --frozen" did not complete successfully: exit code: 101'), plan)).toBe(false);
    const spec = parseSpec("speck.yaml", new TextEncoder().encode("language: rust\nsources: [.]\n"), { parts: [rustSpecPart], modulePath: "app", language: "rust" });
    const stderr = "    Updating `loop` index\nerror: failed to download from `http://127.0.0.1:9/index/config.json`\n\nCaused by:\n  [7] Couldn't connect to server (Failed to connect to 127.0.0.1 port 9 after 0 ms: Couldn't connect to server)\n";
    const { problems } = fetchFailure(stderr, "the fetch op (cargo fetch --locked)", "sandbox", spec);
    expect(problems[0]?.message).toBe(
      "the fetch op (cargo fetch --locked) failed with the build's sandbox network; cargo says: error: failed to download from `http://127.0.0.1:9/index/config.json` Caused by: [7] Couldn't connect to server (Failed to connect to 127.0.0.1 port 9 after 0 ms: Couldn't connect to server)",
    );
    expect(problems[0]?.span?.start.line).toBe(2);
    expect(problems[0]?.hint).toContain("--network=host");
  });
});
