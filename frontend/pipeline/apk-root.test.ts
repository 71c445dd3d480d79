// The target root's install as it goes to BuildKit: the argv apk gets, its
// one cache mount, and what is prepared in the root beforehand. The behaviour
// of real apk behind each choice is proven end to end (test/e2e/alpine.test.ts);
// this pins the graph those tests run.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { toJSON, type OpJSON } from "../../llb/index.js";
import { CacheSharingOpt } from "../../proto/llb.js";
import { offlineBuild } from "../offline.js";

interface ExecJSON {
  op: { meta: { args: string[] }; mounts: { dest: string; mountType?: number; cacheOpt?: { ID: string; sharing?: number } }[] };
}
interface FileJSON {
  op: { actions: { copy?: { src: string; dest: string }; mkfile?: { path: string }; mkdir?: { path: string } }[] };
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function ops(target: string, yaml = "sources: [main.c]\n"): OpJSON[] {
  const dir = mkdtempSync(join(tmpdir(), "speck-apk-root-"));
  dirs.push(dir);
  writeFileSync(join(dir, "speck.yaml"), yaml);
  writeFileSync(join(dir, "main.c"), "int main(void) { return 0; }\n");
  const [os = "", architecture = "", variant] = target.split("/");
  const build = offlineBuild(join(dir, "speck.yaml"), { platform: { os, architecture, ...(variant ? { variant } : {}) }, buildPlatform: { os: "linux", architecture: "amd64" } });
  return toJSON(build.definition);
}

function rootInstall(all: OpJSON[]): ExecJSON {
  const execs = all.filter((o) => o.kind === "exec").map((o) => o as unknown as ExecJSON);
  const found = execs.filter((e) => e.op.meta.args.includes("--root"));
  expect(found).toHaveLength(1);
  return found[0] as ExecJSON;
}

describe("the target root's apk add", () => {
  it("arm64 from amd64: the target's keys from alpine-keys, no scripts, downloads into the root's cache mount", () => {
    const e = rootInstall(ops("linux/arm64"));
    expect(e.op.meta.args).toEqual([
      "apk", "add", "--root", "/aarch64-alpine-linux-musl", "--initdb", "--arch", "aarch64",
      "--keys-dir", "/usr/share/apk/keys/aarch64", "--no-scripts",
      "--no-progress", "--update-cache", "--cache-dir", "var/cache/apk", "gcc", "musl-dev",
    ]);
    expect(e.op.meta.args).not.toContain("--allow-untrusted");
    const caches = e.op.mounts.filter((m) => m.cacheOpt !== undefined);
    // The relative --cache-dir, resolved inside the root, is exactly the mount: nothing lands in a layer.
    expect(caches.map((m) => [m.dest, m.cacheOpt?.ID])).toEqual([["/aarch64-alpine-linux-musl/var/cache/apk", "speck-apk-linux/arm64"]]);
    // LOCKED: two builds for one target never use apk's cache at once.
    expect(caches[0]?.cacheOpt?.sharing).toBe(CacheSharingOpt.LOCKED);
  });

  it("every target gets its own architecture's key directory and its own cache", () => {
    const seen = new Map<string, [string, string | undefined]>();
    for (const p of ["linux/amd64", "linux/arm/v7", "linux/arm/v6", "linux/386", "linux/ppc64le", "linux/s390x", "linux/riscv64"]) {
      const e = rootInstall(ops(p));
      const args = e.op.meta.args;
      const arch = args[args.indexOf("--arch") + 1];
      seen.set(p, [args[args.indexOf("--keys-dir") + 1] ?? "", e.op.mounts.find((m) => m.cacheOpt)?.cacheOpt?.ID]);
      expect(args[args.indexOf("--keys-dir") + 1]).toBe(`/usr/share/apk/keys/${arch}`);
    }
    expect(Object.fromEntries(seen)).toEqual({
      "linux/amd64": ["/usr/share/apk/keys/x86_64", "speck-apk-linux/amd64"],
      "linux/arm/v7": ["/usr/share/apk/keys/armv7", "speck-apk-linux/arm/v7"],
      "linux/arm/v6": ["/usr/share/apk/keys/armhf", "speck-apk-linux/arm/v6"],
      "linux/386": ["/usr/share/apk/keys/x86", "speck-apk-linux/386"],
      "linux/ppc64le": ["/usr/share/apk/keys/ppc64le", "speck-apk-linux/ppc64le"],
      "linux/s390x": ["/usr/share/apk/keys/s390x", "speck-apk-linux/s390x"],
      "linux/riscv64": ["/usr/share/apk/keys/riscv64", "speck-apk-linux/riscv64"],
    });
  });

  it("the root is prepared with the base image's repositories only: no build-platform keys are copied in", () => {
    const files = ops("linux/arm64").filter((o) => o.kind === "file").map((o) => o as unknown as FileJSON);
    const actions = files.flatMap((f) => f.op.actions);
    const copies = actions.flatMap((a) => (a.copy ? [[a.copy.src, a.copy.dest]] : []));
    expect(copies).toContainEqual(["/etc/apk/repositories", "/aarch64-alpine-linux-musl/etc/apk/repositories"]);
    expect(copies.filter(([src]) => src?.includes("keys"))).toEqual([]);
    expect(actions.flatMap((a) => (a.mkfile ? [a.mkfile.path] : []))).toEqual([]);
  });

  it("a package from `packages:` is installed into the root the same way, its scripts not run", () => {
    const e = rootInstall(ops("linux/riscv64", "sources: [main.c]\npackages: [zlib-static]\n"));
    expect(e.op.meta.args).toContain("--no-scripts");
    expect(e.op.meta.args.slice(-3)).toEqual(["gcc", "musl-dev", "zlib-static"]);
  });

  it("the build platform's own install keeps the absolute cache path: without --root it is the image's /var/cache/apk", () => {
    const execs = ops("linux/arm64").filter((o) => o.kind === "exec").map((o) => o as unknown as ExecJSON);
    const host = execs.find((e) => e.op.meta.args[1] === "add" && !e.op.meta.args.includes("--root"));
    expect(host?.op.meta.args).toEqual(["apk", "add", "--no-progress", "--update-cache", "--cache-dir", "/var/cache/apk", "clang", "lld"]);
    expect(host?.op.mounts.find((m) => m.cacheOpt)?.dest).toBe("/var/cache/apk");
  });
});
