// Stage 1 end to end: speck's default toolchain path (a base image, `apk add`
// of the plan's packages, the package cache mount) and its failures.
//
// The daemons are offline, so the base image is local/speck-alpine-offline:3.22,
// the test bed's stand-in for Alpine (see base-images.sh and alpine-standin/):
// the real Alpine minirootfs, whose real apk installs from a locally signed
// repository. It replaces Alpine the way a user would:
// `--build-context alpine:3.22=docker-image://...`.

import { setTimeout as sleep } from "node:timers/promises";
import { expect, it } from "vitest";
import { describeDaemons, docker, fixture, type Daemon } from "./helpers.js";
import { cleanupImage, exampleCopy, speckBuild, SYNTAX, tagFor } from "./speck.js";
import { ALPINE_IMAGE, viaAlpine } from "./alpine.js";

const viaDefault = viaAlpine();

/** A failing build must end on its own, well before the build timeout: the frontend exits. */
const PROMPT_MS = 60_000;

async function timedBuild(daemon: Daemon, o: Parameters<typeof speckBuild>[1]) {
  const t0 = performance.now();
  const r = await speckBuild(daemon, { ...o, check: false, timeoutMs: 3 * PROMPT_MS });
  return { ...r, ms: performance.now() - t0 };
}

describeDaemons("toolchain", (daemon) => {
  it("base-image override: pausle builds through apk add and runs", async () => {
    const dir = await exampleCopy("pausle");
    const tag = tagFor(daemon, "tc-pausle");
    cleanupImage(daemon, tag);
    const r = await speckBuild(daemon, { ...viaDefault, dir, tags: [tag], load: true, noCache: true });
    // The apk step ran (it is speck's default path, not the prepared toolchain).
    expect(r.stderr).toMatch(/\[toolchain linux\/amd64\] apk add clang lld\n/);
    expect(r.stderr).toMatch(/Installing clang \(\d[^)]*\)/);
    // The target's libraries go into a root of their own, even for the build machine's own architecture.
    expect(r.stderr).toMatch(/\[toolchain linux\/amd64\] apk add --root \/x86_64-alpine-linux-musl gcc musl-dev\n/);
    expect(r.stderr).toMatch(/Installing gcc \(\d[^)]*\)/);
    const { stdout } = await docker(daemon, ["run", "-d", "--network=none", tag]);
    const id = stdout.trim();
    try {
      await sleep(300);
      expect((await docker(daemon, ["inspect", "-f", "{{.State.Running}}", id])).stdout.trim()).toBe("true");
    } finally {
      await docker(daemon, ["rm", "-f", id], { check: false });
    }
  });

  it("base-image override: crc32 gets zlib-dev and zlib-static and links -lz", async () => {
    const dir = await exampleCopy("crc32");
    const tag = tagFor(daemon, "tc-crc32");
    cleanupImage(daemon, tag);
    const r = await speckBuild(daemon, { ...viaDefault, dir, tags: [tag], load: true, noCache: true });
    expect(r.stderr).toMatch(/apk add [^\n]*zlib-dev zlib-static/);
    const run = await docker(daemon, ["run", "--rm", "--network=none", tag, "hello"]);
    expect(run.stdout).toBe("3610a686  hello\n");
  });

  it("an unknown package fails the build with apk's message", async () => {
    const dir = await fixture({
      "speck.yaml": `${SYNTAX}\nsources: [p.c]\npackages: [no-such-lib-dev]\n`,
      "p.c": "int main(void) { return 0; }\n",
    });
    const r = await timedBuild(daemon, { ...viaDefault, dir, noCache: true });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("ERROR: unable to select packages:");
    expect(r.stderr).toContain("no-such-lib-dev (no such package):");
    // The failing step is the toolchain stage, with the package named in its progress line.
    expect(r.stderr).toMatch(/\[toolchain linux\/amd64\] apk add [^\n]*no-such-lib-dev/);
    expect(r.ms).toBeLessThan(PROMPT_MS);
  });

  it("an unresolvable toolchain image fails, naming it and the way out", async () => {
    // No override and no network: the default image cannot be resolved.
    const dir = await fixture({ "speck.yaml": `${SYNTAX}\nsources: [p.c]\n`, "p.c": "int main(void) { return 0; }\n" });
    const r = await timedBuild(daemon, { dir, withoutToolchain: true });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/cannot resolve the toolchain image docker\.io\/library\/alpine:3\.22 for linux\/amd64/);
    expect(r.stderr).toContain("--build-context toolchain=docker-image://");
    expect(r.ms).toBeLessThan(PROMPT_MS);
  });

  it("a spec's own toolchain.image is what the override replaces", async () => {
    const dir = await fixture({
      "speck.yaml": `${SYNTAX}\nsources: [p.c]\ntoolchain:\n  image: registry.invalid/team/cc:1\n`,
      "p.c": "int main(void) { return 0; }\n",
    });
    const tag = tagFor(daemon, "tc-custom");
    cleanupImage(daemon, tag);
    const r = await timedBuild(daemon, { dir, withoutToolchain: true, tags: [tag], load: true, buildContexts: { "registry.invalid/team/cc:1": `docker-image://${ALPINE_IMAGE}` } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/\[toolchain linux\/amd64\] apk add clang lld\n/);
  });
});
