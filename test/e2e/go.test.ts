// Issue 13 end to end: Go modules through the default toolchain path (the
// Alpine double's `apk add go`), cross-compiled on the worker's platform for
// amd64 and arm64, one static binary per image, reproducible; the module
// download op fed by a file proxy made from a Debian package; bad input.

import { createHash } from "node:crypto";
import { appendFile, copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, inject, it, onTestFinished } from "vitest";
import { addToProxy, debianPackage } from "./go-proxy.js";
import { describeDaemons, docker, fixture, inspectImage, type Daemon, type RunResult } from "./helpers.js";
import { readOci } from "./oci.js";
import { expectAnswersThenStops } from "./serve.js";
import { cleanupImage, exampleCopy, speckBuild, SYNTAX, tagFor, type SpeckBuildOptions } from "./speck.js";
import { viaAlpine } from "./alpine.js";

/** The default path: alpine:3.22 (offline, the test bed's stand-in, whose repository has `go`). */
const ALPINE = viaAlpine().buildContexts;
const BOTH = "linux/amd64,linux/arm64";
const MACHINE: Readonly<Record<string, number>> = { amd64: 62, arm64: 183 };
const NO_STACK = /\n\s+at [\w.<>]+ \(|node_modules|\.ts:\d+:\d+\)/;

function goBuild(daemon: Daemon, o: Omit<SpeckBuildOptions, "withoutToolchain">): Promise<RunResult> {
  return speckBuild(daemon, { ...o, withoutToolchain: true, buildContexts: { ...ALPINE, ...o.buildContexts } });
}

/** Builds `dir` for both platforms into an OCI tarball and reads it back. */
async function ociBoth(daemon: Daemon, dir: string, extra: Partial<SpeckBuildOptions> = {}) {
  const out = await mkdtemp(join(tmpdir(), "speck-go-oci-"));
  try {
    const r = await goBuild(daemon, { dir, platform: BOTH, outputs: [`type=oci,dest=${join(out, "i.tar")}`], ...extra });
    return { ...(await readOci(join(out, "i.tar"))), progress: r.stderr };
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

describeDaemons("go", (daemon) => {
  it("go-hello: amd64 and arm64 compiled on the build platform, one static binary each, same digest twice, prints", async () => {
    const dir = await exampleCopy("go-hello");
    const epoch = { SOURCE_DATE_EPOCH: "1700000000" };
    const first = await ociBoth(daemon, dir, { noCache: true, buildArgs: epoch });
    expect(first.images.map((i) => i.platform).sort()).toEqual(["linux/amd64", "linux/arm64"]);
    for (const img of first.images) {
      const arch = img.config.architecture;
      expect([...img.files.keys()], `${img.platform}: the layer holds only the binary`).toEqual(["go-hello"]);
      expect(img.files.get("go-hello")?.machine, `${img.platform}: ELF machine`).toBe(MACHINE[arch]);
      expect(img.config.config.Labels?.["dev.speck.binary.size"]).toBe(String(img.files.get("go-hello")?.size));
      // speck's ELF check passed: no interpreter, no shared libraries.
      expect(first.progress).toContain(`[linux/${arch}] go-hello: ${(img.files.get("go-hello")?.size ?? 0).toLocaleString("en-US")} B, static, profile size`);
    }
    // No emulation: every step that runs a program runs on amd64, the worker's platform.
    expect(first.progress).toContain("[toolchain linux/amd64] apk add go");
    expect(first.progress).not.toContain("[toolchain linux/arm64]");
    expect(first.progress).toMatch(/\[compile linux\/arm64 on linux\/amd64\] go build -trimpath -buildvcs=false/);

    const second = await ociBoth(daemon, dir, { noCache: true, buildArgs: epoch });
    expect(second.digest).toBe(first.digest);

    const tag = tagFor(daemon, "go-hello");
    cleanupImage(daemon, tag);
    await goBuild(daemon, { dir, tags: [tag], load: true });
    const { stdout } = await docker(daemon, ["run", "--rm", "--network=none", tag, "a b"]);
    expect(stdout).toBe("hello from speck, in Go\narg 1: a b\n");
  });

  it("go-httpd: builds for both platforms, answers on loopback and stops at once on SIGTERM", async () => {
    const dir = await exampleCopy("go-httpd");
    const both = await ociBoth(daemon, dir);
    for (const img of both.images) expect([...img.files.keys()], img.platform).toEqual(["go-httpd"]);
    const tag = tagFor(daemon, "go-httpd");
    cleanupImage(daemon, tag);
    await goBuild(daemon, { dir, tags: [tag], load: true });
    expect(Object.keys((await inspectImage(daemon, tag)).Config.ExposedPorts ?? {})).toEqual(["8080/tcp"]);
    await expectAnswersThenStops(daemon, tag, String(20000 + ((process.pid + 7) % 20000)), "ok\n");
  });
});

// The rest needs one daemon: what it checks is speck's graph and messages, not the daemon version.
describe("go modules and bad input", () => {
  const daemon = inject("daemons").at(-1);

  it.skipIf(!daemon)("the download op fetches a real module from a file proxy; a .go edit reuses it, a go.sum edit runs it again; vendor/ needs none", async () => {
    const d = daemon as Daemon;
    // github.com/google/uuid from Debian trixie: a real third-party module, fetched now, never committed.
    const deb = await debianPackage("golang-github-google-uuid-dev", "trixie");
    const version = `v${deb.version.replace(/-[^-]*$/, "").replace(/^\d+:/, "")}`;
    const proxy = await fixture({});
    const uuidSrc = join(deb.root, "usr/share/gocode/src/github.com/google/uuid");
    const uuid = await addToProxy(proxy, "github.com/google/uuid", version, uuidSrc);
    onTestFinished(() => rm(join(deb.root, ".."), { recursive: true, force: true }));
    const dir = await fixture({
      "speck.yaml": `${SYNTAX}\nsources: [.]\n`,
      // A module path of its own per run: the download op's key is go.mod and go.sum, and an earlier run's
      // cache must not answer for this one (its go.sum edit would then find the op already done).
      "go.mod": `module example.com/uuidgen-${process.pid}-${Date.now()}\n\ngo 1.22\n\nrequire github.com/google/uuid ${version}\n`,
      "go.sum": uuid.goSum,
      "main.go": 'package main\n\nimport (\n\t"fmt"\n\n\t"github.com/google/uuid"\n)\n\nfunc main() { fmt.Println(uuid.NewSHA1(uuid.NameSpaceDNS, []byte("speck.example")).String()) }\n',
    });
    const tag = tagFor(d, "go-uuid");
    cleanupImage(d, tag);
    const build = () => goBuild(d, { dir, tags: [tag], load: true, buildContexts: { goproxy: proxy } });
    const downloadStep = /#(\d+) \[modules linux\/amd64\] go mod download/;
    const ranDownload = (r: RunResult): boolean => {
      const n = downloadStep.exec(r.stderr)?.[1];
      expect(n, "the build has a download step").toBeDefined();
      return !new RegExp(`#${n} CACHED`).test(r.stderr);
    };

    const first = await build();
    const run = async (): Promise<string> => (await docker(d, ["run", "--rm", "--network=none", tag])).stdout;
    expect(await run()).toBe(`${uuidV5("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "speck.example")}\n`);
    expect(ranDownload(first), "a go.mod never built before runs the download").toBe(true);

    await writeFile(join(dir, "main.go"), (await readFile(join(dir, "main.go"), "utf8")).replace('"speck.example"', '"speck.example.org"'));
    const afterGo = await build();
    expect(ranDownload(afterGo), "a .go edit reuses the module cache").toBe(false);
    expect(await run()).toBe(`${uuidV5("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "speck.example.org")}\n`);

    await appendFile(join(dir, "go.sum"), "\n");
    const afterSum = await build();
    expect(ranDownload(afterSum), "a go.sum edit runs the download again").toBe(true);

    // The same module vendored (as `go mod vendor` lays it out): -mod=vendor, no download step, no proxy.
    const vendored = join(dir, "vendor/github.com/google/uuid");
    await mkdir(vendored, { recursive: true });
    for (const f of await readdir(uuidSrc)) if (f.endsWith(".go") && !f.endsWith("_test.go")) await copyFile(join(uuidSrc, f), join(vendored, f));
    await writeFile(join(dir, "vendor/modules.txt"), `# github.com/google/uuid ${version}\n## explicit\ngithub.com/google/uuid\n`);
    const fromVendor = await goBuild(d, { dir, tags: [tag], load: true });
    expect(fromVendor.stderr).not.toMatch(downloadStep);
    expect(await run()).toBe(`${uuidV5("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "speck.example.org")}\n`);
  });

  it.skipIf(!daemon)("debug-llb for linux/arm64: every exec on linux/amd64; a newer `toolchain` line downloads nothing", async () => {
    const d = daemon as Daemon;
    const dir = await exampleCopy("go-hello");
    const out = await fixture({});
    await goBuild(d, { dir, platform: "linux/arm64", target: "debug-llb", outputs: [`type=local,dest=${out}`] });
    const ops = JSON.parse(await readFile(join(out, "llb.json"), "utf8")) as { kind: string; platform?: { Architecture: string }; op?: { meta?: { args?: string[] }; network?: number } }[];
    const execs = ops.filter((o) => o.kind === "exec");
    expect(execs.map((o) => o.op?.meta?.args?.slice(0, 2).join(" "))).toEqual(["apk add", "go build"]);
    for (const o of execs) expect(o.platform?.Architecture, o.op?.meta?.args?.join(" ")).toBe("amd64");
    expect(execs[1]?.op?.network).toBe(2);
    expect(await readFile(join(out, "plan.txt"), "utf8")).toContain("go-hello: a static Go binary for linux/arm64");

    // GOTOOLCHAIN=local: the compile has no network, so only the local Go can have built this.
    await appendFile(join(dir, "go.mod"), "\ntoolchain go1.99.0\n");
    const tag = tagFor(d, "go-toolchain-line");
    cleanupImage(d, tag);
    await goBuild(d, { dir, tags: [tag], load: true });
    expect((await docker(d, ["run", "--rm", "--network=none", tag])).stdout).toBe("hello from speck, in Go\n");
  });

  it.skipIf(!daemon)("bad input: each a located, clear error with no stack trace", async () => {
    const d = daemon as Daemon;
    const MAIN = "package main\n\nfunc main() {}\n";
    const fail = async (files: Record<string, string>, contexts: Record<string, string> = {}): Promise<string> => {
      const dir = await fixture(files);
      const r = await goBuild(d, { dir, buildContexts: contexts, check: false, timeoutMs: 180_000 });
      expect(r.code).not.toBe(0);
      expect(r.stderr).not.toMatch(NO_STACK);
      return r.stderr;
    };
    expect(await fail({ "speck.yaml": `${SYNTAX}\nsources: [.]\n`, "main.go": MAIN })).toContain("speck.yaml:2:10: no go.mod at the top of the build context");
    expect(await fail({ "speck.yaml": `${SYNTAX}\nsources: [.]\nmain: ./lib\n`, "go.mod": "module m\n\ngo 1.22\n", "lib/lib.go": "package lib\n" })).toContain(
      "speck.yaml:3:7: `./lib` is package `lib` (lib/lib.go), not a main package",
    );
    expect(await fail({ "speck.yaml": `${SYNTAX}\nsources: [.]\nname: m\n`, "go.mod": "module m\n\ngo 1.99\n", "main.go": MAIN })).toContain(
      "go.mod:3:4: go.mod needs Go 1.99, but the toolchain is go1.24.4",
    );
    // A module that is not in the provided module cache (here: an empty one).
    const empty = await fixture({ ".keep": "" });
    const missing = await fail(
      { "speck.yaml": `${SYNTAX}\nsources: [.]\nname: m\n`, "go.mod": "module m\n\ngo 1.22\n\nrequire example.com/absent v1.2.3\n", "go.sum": "", "main.go": 'package main\n\nimport _ "example.com/absent"\n\nfunc main() {}\n' },
      { gomodcache: empty },
    );
    expect(missing).toContain("go.mod:5:9: module example.com/absent v1.2.3 is not in the module cache given by --build-context gomodcache");
  });
});

describe("go with cgo", () => {
  const daemon = inject("daemons").at(-1);
  const CGO_MAIN = 'package main\n\n/*\nstatic int twice(int x) { return 2 * x; }\n*/\nimport "C"\n\nimport "fmt"\n\nfunc main() { fmt.Println("cgo says", int(C.twice(21))) }\n';
  const files = { "speck.yaml": `${SYNTAX}\nsources: [.]\ncgo: true\n`, "go.mod": "module example.com/cgohello\n\ngo 1.22\n", "main.go": CGO_MAIN };

  it.skipIf(!daemon)("cgo: true links C and musl statically and runs; a C compiler that links dynamically is refused at `cgo`", async () => {
    const d = daemon as Daemon;
    const dir = await fixture(files);
    const tag = tagFor(d, "go-cgo");
    cleanupImage(d, tag);
    const ok = await goBuild(d, { dir, tags: [tag], load: true });
    expect(ok.stderr).toContain("[toolchain linux/amd64] apk add gcc go musl-dev");
    expect(ok.stderr).toMatch(/cgohello: [\d,]+ B, static, profile size/);
    expect((await docker(d, ["run", "--rm", "--network=none", tag])).stdout).toBe("cgo says 42\n");

    // A broken toolchain: its cc drops -static, so the external link comes out dynamic.
    const tc = await fixture({
      cc: '#!/bin/sh\nfor a in "$@"; do shift; [ "$a" = -static ] || set -- "$@" "$a"; done\nexec musl-gcc "$@"\n',
      Dockerfile: "FROM local/speck-toolchain:go\nCOPY --chmod=755 cc /opt/dynamic/cc\nENV PATH=/opt/dynamic:/usr/local/bin:/usr/bin:/bin\n",
    });
    const tcTag = tagFor(d, "go-dynamic-toolchain");
    cleanupImage(d, tcTag);
    await docker(d, ["buildx", "build", "--provenance=false", "--load", "-t", tcTag, tc]);
    const bad = await speckBuild(d, { dir: await fixture(files), buildContexts: { toolchain: `docker-image://${tcTag}` }, check: false, timeoutMs: 300_000 });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/speck\.yaml:3:6: cgohello is dynamically linked: interpreter \/lib\/ld-musl-x86_64\.so\.1/);
    expect(bad.stderr).toContain("speck links cgo with -linkmode=external -extldflags=-static");
    expect(bad.stderr).not.toMatch(NO_STACK);
  });
});

/** RFC 4122 version 5 (SHA-1, name-based) UUID, as uuid.NewSHA1 makes it. */
function uuidV5(namespace: string, name: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ""), "hex");
  const h = createHash("sha1").update(ns).update(name).digest().subarray(0, 16);
  h[6] = ((h[6] ?? 0) & 0x0f) | 0x50;
  h[8] = ((h[8] ?? 0) & 0x3f) | 0x80;
  const x = h.toString("hex");
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}
