// Issue 18 end to end: speck's default path on Alpine, as a user takes it: `alpine:3.22`, `apk add
// clang lld`, and each target's libraries through `apk add --root /<triple> --initdb --arch`, every
// apk command executed by real apk-tools against signed indexes and Alpine's key layout (offline: the
// test bed's stand-in, see alpine.ts; SPECK_E2E_REAL_ALPINE=1: the real alpine:3.22 and its mirrors).
//
// Cross builds run with the targets' qemu interpreters switched off in binfmt_misc, so a step that
// needed emulation (an install script chrooted into a foreign root, a foreign toolchain) would fail;
// they are switched on again only to run the results.

import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ALPINE_IMAGE, SCRIPTED_PACKAGE, viaAlpine } from "./alpine.js";
import { apkArches, apkIntoRoot } from "./alpine-root.js";
import { enableEmulation, QEMU, withoutEmulation } from "./binfmt.js";
import { buildx, describeDaemons, docker, fixture, type Daemon, type RunResult } from "./helpers.js";
import { exampleCopy, speckBuild, SYNTAX, tagFor, type SpeckBuildOptions } from "./speck.js";

const FOUR = ["linux/amd64", "linux/arm64", "linux/arm/v7", "linux/riscv64"] as const;
/** The qemu-user interpreters of the four platforms, by GOARCH. */
const QEMU_OF: Readonly<Record<string, string>> = { amd64: "qemu-x86_64", arm64: QEMU.arm64 as string, arm: QEMU.arm as string, riscv64: QEMU.riscv64 as string };
const EPOCH = { SOURCE_DATE_EPOCH: "1700000000" };

/** What each example prints, run with its arguments. */
const EXAMPLES = {
  hello: { args: ["x"], stdout: "hello from speck\narg 1: x\n" },
  crc32: { args: ["hello"], stdout: "3610a686  hello\n" },
  cpp: { args: [], stdout: "speck: 4 kB\ncaught: no size recorded for glibc\n" },
  mixed: { args: [], stdout: "walked: 3\ncaught: item 3 refused\n" },
  "go-hello": { args: ["x"], stdout: "hello from speck, in Go\narg 1: x\n" },
} as const;
type Example = keyof typeof EXAMPLES;

function alpineBuild(daemon: Daemon, o: Omit<SpeckBuildOptions, "withoutToolchain" | "buildContexts">): Promise<RunResult> {
  return speckBuild(daemon, { ...viaAlpine(), timeoutMs: 900_000, ...o });
}

/** One op of speck's `--target debug-llb` llb.json, as far as these tests read it. */
interface LlbOp {
  readonly kind: string;
  readonly op?: { readonly meta?: { readonly args?: string[] }; readonly mounts?: { readonly dest?: string; readonly cacheOpt?: { readonly ID?: string } }[] };
}

/** The target root's install as speck generates it for `platform`: its argv and its cache mount. */
async function rootInstall(daemon: Daemon, dir: string, platform: string): Promise<{ root: string; args: string[]; cacheId: string; cacheDest: string }> {
  const out = await fixture({});
  await alpineBuild(daemon, { dir, platform, target: "debug-llb", outputs: [`type=local,dest=${out}`] });
  const ops = JSON.parse(await readFile(join(out, "llb.json"), "utf8")) as LlbOp[];
  const execs = ops.filter((o) => o.kind === "exec" && o.op?.meta?.args?.includes("--root"));
  expect(execs, "one apk add --root").toHaveLength(1);
  const args = execs[0]?.op?.meta?.args ?? [];
  const root = args[args.indexOf("--root") + 1] ?? "";
  const caches = (execs[0]?.op?.mounts ?? []).filter((m) => m.cacheOpt !== undefined);
  expect(caches, "the root's install has one cache mount").toHaveLength(1);
  return { root, args, cacheId: caches[0]?.cacheOpt?.ID ?? "", cacheDest: caches[0]?.dest ?? "" };
}

/**
 * speck's install of a target root, replayed from its own LLB (the argv and the cache mount's place, as
 * `--target debug-llb` shows them) in a Dockerfile build on the same daemon, listing the cache mount from
 * inside that very step. A listing from a later build would depend on the mount surviving BuildKit's
 * garbage collection between builds, which the test bed's BuildKit 0.25 daemon does not promise on a
 * disk below its free-space threshold (cache mounts are "performance-only" for BuildKit).
 */
async function replayedCacheMount(daemon: Daemon, install: { root: string; args: string[]; cacheDest: string }): Promise<string[]> {
  const step = ["/bin/sh", "-c", `"$@" && ls -A ${install.cacheDest} > /listing`, "sh", ...install.args];
  const dir = await fixture({
    Dockerfile: [
      `FROM ${ALPINE_IMAGE} AS install`,
      `RUN ${JSON.stringify(["mkdir", "-p", `${install.root}/etc/apk`])}`,
      `RUN ${JSON.stringify(["cp", "/etc/apk/repositories", `${install.root}/etc/apk/repositories`])}`,
      `RUN --mount=type=cache,id=speck-e2e-replay-${process.pid}-${Date.now()},target=${install.cacheDest},sharing=locked ${JSON.stringify(step)}`,
      "FROM scratch",
      "COPY --from=install /listing /",
      "",
    ].join("\n"),
  });
  const out = await fixture({});
  await buildx(daemon, { context: dir, noCache: true, outputs: [`type=local,dest=${out}`], timeoutMs: 300_000 });
  return (await readFile(join(out, "listing"), "utf8")).split("\n").filter((l) => l !== "");
}

/**
 * A C program whose text says, for each path, whether it existed in the toolchain stage's file system
 * when it was compiled (`__has_include` of an absolute path), so a speck build of it looks into the
 * very layer the target root was installed into; the answer is read from the binary's bytes.
 */
function probeSource(paths: readonly string[]): string {
  const lines = paths.map((p) => `#if __has_include("${p}")\n  "${p}=1\\n"\n#else\n  "${p}=0\\n"\n#endif`);
  return `#include <stdio.h>\nstatic const char probe[] =\n  "PROBE\\n"\n${lines.join("\n")}\n  ;\nint main(void) { return fputs(probe, stdout) < 0; }\n`;
}

describeDaemons("the default path on Alpine (issue 18)", (daemon) => {
  const tags = new Map<Example, string>();
  /** The daemon's own platform (every toolchain step's) and the interpreters of the other three. */
  let buildPlatform = "";
  let FOREIGN_QEMU: string[] = [];

  beforeAll(async () => {
    const arch = (await docker(daemon, ["version", "-f", "{{.Server.Arch}}"])).stdout.trim();
    buildPlatform = `linux/${arch}`;
    FOREIGN_QEMU = Object.entries(QEMU_OF).flatMap(([a, q]) => (a === arch ? [] : [q]));
    await enableEmulation(FOREIGN_QEMU); // to run the results later, not to build them
  });
  afterAll(async () => {
    for (const tag of tags.values()) await docker(daemon, ["image", "rm", "-f", tag], { check: false });
  });

  it("hello, crc32, cpp, mixed and go-hello build for four platforms with emulation off, then run on each", { timeout: 1_800_000 }, async () => {
    const names = Object.keys(EXAMPLES) as Example[];
    const dirs = await Promise.all(names.map((n) => exampleCopy(n)));
    const t0 = performance.now();
    // One invocation per example for all four platforms; the toolchain stages are shared through the
    // daemon's cache (same base, same packages), and the compiles run again inside the window.
    const builds = await withoutEmulation(FOREIGN_QEMU, () =>
      Promise.all(
        names.map((name, i) => {
          const tag = tagFor(daemon, `alpine-${name}`);
          tags.set(name, tag);
          return alpineBuild(daemon, { dir: dirs[i] as string, platform: FOUR.join(","), buildArgs: EPOCH, tags: [tag], load: true, extraArgs: ["--no-cache-filter", "compile"] });
        }),
      ),
    );
    process.stderr.write(`alpine [${daemon.name}] five examples x four platforms: ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    for (const [i, name] of names.entries()) {
      const progress = builds[i]?.stderr ?? "";
      // Every toolchain step ran on the build platform; each target got its own root from apk.
      for (const p of FOUR) if (p !== buildPlatform) expect(progress, `${name} ${p}`).not.toMatch(new RegExp(`\\[toolchain ${p}\\] apk add (?!--root)`));
      expect(progress, name).toMatch(new RegExp(`\\[toolchain ${buildPlatform}\\] apk add (clang lld|go)\n`));
      if (name !== "go-hello") for (const p of FOUR) expect(progress, `${name} ${p}`).toMatch(new RegExp(`\\[toolchain ${p}\\] apk add --root /[a-z0-9_]+-alpine-linux-musl[a-z]* `));
    }
    // Every example on every platform, all reported at once. No core files: a crash under qemu-user would
    // otherwise wait on the host's core handler.
    const ran: string[] = [];
    const want: string[] = [];
    for (const name of names) {
      const ex = EXAMPLES[name];
      for (const p of FOUR) {
        const r = await docker(daemon, ["run", "--rm", "--network=none", "--ulimit", "core=0", "--platform", p, tags.get(name) as string, ...ex.args], { check: false, timeoutMs: 120_000 });
        ran.push(`${name} on ${p}: exit ${r.code} ${JSON.stringify(r.stdout)}${r.code === 0 ? "" : ` ${JSON.stringify(r.stderr.slice(-300))}`}`);
        want.push(`${name} on ${p}: exit 0 ${JSON.stringify(ex.stdout)}`);
      }
    }
    expect(ran).toEqual(want);
  });

  it("apk refuses a foreign root given the build platform's keys (UNTRUSTED), and installs with the target's own", { timeout: 600_000 }, async () => {
    const { foreign } = await apkArches(daemon);
    const wrong = await apkIntoRoot(daemon, { keys: "build-platform", arch: foreign, scripts: false, packages: ["musl-dev"] });
    const text = `${wrong.stdout}${wrong.stderr}`;
    expect(wrong.code, text).not.toBe(0);
    // apk's own words (apk-tools 2.14: the untrusted index is a warning, then nothing can be selected).
    expect(text).toMatch(/WARNING: [^\n]*: UNTRUSTED signature/);
    expect(text).toContain("ERROR: unable to select packages:");
    expect(text).toMatch(/musl-dev \(no such package\)/);

    const right = await apkIntoRoot(daemon, { keys: "target", arch: foreign, scripts: false, packages: ["musl-dev"] });
    const ok = `${right.stdout}${right.stderr}`;
    expect(right.code, ok).toBe(0);
    expect(ok).not.toContain("UNTRUSTED");
    expect(ok).toMatch(/Installing musl-dev /);
    // The two installs differ only in their keys: none of the build platform's is the target's.
    const keysOf = (t: string): string[] => (/^keys: ([^\n]*)/m.exec(t)?.[1] ?? "").trim().split(" ").sort();
    expect(keysOf(text).length, text).toBeGreaterThan(0);
    expect(keysOf(ok).length, ok).toBeGreaterThan(0);
    expect(keysOf(text).filter((k) => keysOf(ok).includes(k))).toEqual([]);
  });

  it("a package with an install script: apk fails to run it in a foreign root with emulation off; speck's build of it succeeds", { timeout: 900_000 }, async () => {
    const { foreign } = await apkArches(daemon);
    // The twin that can fail: the same install with its scripts run needs the target's /bin/sh.
    const withScripts = await withoutEmulation(FOREIGN_QEMU, () => apkIntoRoot(daemon, { keys: "target", arch: foreign, scripts: true, packages: [SCRIPTED_PACKAGE] }));
    expect(`${withScripts.stdout}${withScripts.stderr}`).toMatch(new RegExp(`ERROR: ${SCRIPTED_PACKAGE}-[^\\n]*\\.post-install: script exited with error 127`));
    expect(withScripts.code).not.toBe(0);

    const dir = await fixture({ "speck.yaml": `${SYNTAX}\nsources: [p.c]\npackages: [${SCRIPTED_PACKAGE}]\n`, "p.c": '#include <stdio.h>\nint main(void) { return puts("scripted ok") < 0; }\n' });
    const out = await fixture({});
    const platform = foreign === "aarch64" ? "linux/arm64" : "linux/amd64";
    const r = await withoutEmulation(FOREIGN_QEMU, () => alpineBuild(daemon, { dir, platform, noCache: true, outputs: [`type=local,dest=${out}`], check: false }));
    expect(r.code, r.stderr.slice(-4000)).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`\\[toolchain ${platform}\\] apk add --root [^\\n]*${SCRIPTED_PACKAGE}`));
    expect(r.stderr).not.toContain("script exited with error");
    expect(await readdir(out)).toEqual(["p"]);
  });

  it("after a cross build the target's .apk files are in the cache mount, not in the toolchain layer", { timeout: 900_000 }, async () => {
    const { foreign } = await apkArches(daemon);
    const platform = foreign === "aarch64" ? "linux/arm64" : "linux/amd64";
    const dir = await exampleCopy("hello");
    const install = await rootInstall(daemon, dir, platform);
    // The cache mount sits inside the root, where apk (openat(root_fd, --cache-dir)) opens it.
    expect(install.cacheDest).toBe(`${install.root}/var/cache/apk`);
    const cacheDir = install.args[install.args.indexOf("--cache-dir") + 1] ?? "";
    expect([`${install.root}/var/cache/apk`, "var/cache/apk"]).toContain(cacheDir);

    const discard = await fixture({});
    const built = await withoutEmulation(FOREIGN_QEMU, () => alpineBuild(daemon, { dir, platform, noCache: true, outputs: [`type=local,dest=${discard}`] }));
    // Real apk installed the packages in this build (not taken from BuildKit's cache).
    expect(built.stderr).toMatch(/\(\d+\/\d+\) Installing musl-dev /);

    // What apk, given speck's argv, wrote into the cache mount.
    const cached = await replayedCacheMount(daemon, install);
    const apks = cached.filter((f) => f.endsWith(".apk"));
    expect(apks.some((f) => f.startsWith("musl-dev-")), `cache mount: ${cached.join(" ")}`).toBe(true);
    expect(apks.some((f) => f.startsWith("gcc-")), `cache mount: ${cached.join(" ")}`).toBe(true);

    // speck's own toolchain layer, which its compile runs on: the same stage (same base, same packages) as
    // hello's cross build above. None of those files is in it, neither in the root nor on the host side.
    const names = cached.filter((f) => f.endsWith(".apk") || f.startsWith("APKINDEX"));
    const paths = [`${install.root}/lib/apk/db/installed`, ...names.flatMap((n) => [`${install.root}/var/cache/apk/${n}`, `/var/cache/apk/${n}`])];
    const probeDir = await fixture({ "speck.yaml": `${SYNTAX}\nsources: [probe.c]\n`, "probe.c": probeSource(paths) });
    const out = await fixture({});
    await alpineBuild(daemon, { dir: probeDir, platform, outputs: [`type=local,dest=${out}`] });
    const seen = new Map(
      [...(await readFile(join(out, "probe"))).toString("latin1").matchAll(/^(\/[^\n=]+)=([01])$/gm)].map((m) => [m[1] ?? "", m[2] ?? ""]),
    );
    expect(seen.size, "the probe answered for every path").toBe(paths.length);
    // The control: the probe sees what the install left in the layer.
    expect(seen.get(`${install.root}/lib/apk/db/installed`)).toBe("1");
    expect([...seen].filter(([, v]) => v === "1").map(([p]) => p)).toEqual([`${install.root}/lib/apk/db/installed`]);
  });
});

