// Issue 4, end to end: every example builds as is, holds exactly its files,
// and runs; the static check refuses a dynamic binary; builds are
// reproducible to the byte.

import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, inject, it } from "vitest";
import { describeDaemons, docker, fixture, imageLayers, inspectImage, tarballLayers, type Daemon } from "./helpers.js";
import { expectAnswersThenStops } from "./serve.js";
import { cleanupImage, exampleCopy, speckBuild, SYNTAX, tagFor } from "./speck.js";

async function buildExample(daemon: Daemon, name: string): Promise<string> {
  const dir = await exampleCopy(name);
  const tag = tagFor(daemon, name);
  cleanupImage(daemon, tag);
  await speckBuild(daemon, { dir, tags: [tag], load: true });
  return tag;
}

async function onlyFiles(daemon: Daemon, tag: string): Promise<string[]> {
  return (await imageLayers(daemon, tag)).flat().filter((e) => e.type !== "d").map((e) => e.path).sort();
}

/** Starts a container, detached; removed when the test ends. */
async function start(daemon: Daemon, tag: string, args: readonly string[] = []): Promise<string> {
  const { stdout } = await docker(daemon, ["run", "-d", "--network=none", ...args, tag]);
  const id = stdout.trim();
  return id;
}

async function running(daemon: Daemon, id: string): Promise<boolean> {
  const { stdout } = await docker(daemon, ["inspect", "-f", "{{.State.Running}}", id]);
  return stdout.trim() === "true";
}

describeDaemons("examples", (daemon) => {
  it("pausle: one file, keeps running, ignores SIGTERM as PID 1", async () => {
    const tag = await buildExample(daemon, "pausle");
    expect(await onlyFiles(daemon, tag)).toEqual(["pausle"]);
    const id = await start(daemon, tag);
    try {
      await sleep(500);
      expect(await running(daemon, id)).toBe(true);
      await docker(daemon, ["kill", "--signal=TERM", id]);
      await sleep(500);
      expect(await running(daemon, id)).toBe(true);
    } finally {
      await docker(daemon, ["rm", "-f", id], { check: false });
    }
  });

  it("pause: keeps running and stops within 1 s of docker stop", async () => {
    const tag = await buildExample(daemon, "pause");
    expect(await onlyFiles(daemon, tag)).toEqual(["pause"]);
    expect((await inspectImage(daemon, tag)).Config.StopSignal).toBe("SIGTERM");
    const id = await start(daemon, tag);
    try {
      await sleep(300);
      expect(await running(daemon, id)).toBe(true);
      const t0 = performance.now();
      // -t 5: if SIGTERM were ignored, docker would wait 5 s and then SIGKILL.
      await docker(daemon, ["stop", "-t", "5", id]);
      expect(performance.now() - t0).toBeLessThan(1000);
      const { stdout } = await docker(daemon, ["inspect", "-f", "{{.State.ExitCode}}", id]);
      expect(stdout.trim()).toBe("0");
    } finally {
      await docker(daemon, ["rm", "-f", id], { check: false });
    }
  });

  it("hello: prints", async () => {
    const tag = await buildExample(daemon, "hello");
    expect(await onlyFiles(daemon, tag)).toEqual(["hello"]);
    const { stdout } = await docker(daemon, ["run", "--rm", "--network=none", tag, "a b"]);
    expect(stdout).toBe("hello from speck\narg 1: a b\n");
  });

  it("httpd: answers a request on loopback", async () => {
    const tag = await buildExample(daemon, "httpd");
    expect(await onlyFiles(daemon, tag)).toEqual(["httpd"]);
    expect(Object.keys((await inspectImage(daemon, tag)).Config.ExposedPorts ?? {})).toEqual(["8080/tcp"]);
    await expectAnswersThenStops(daemon, tag, String(20000 + (process.pid % 20000)), "ok\n");
  });

  it("cpp: catches its exception", async () => {
    const tag = await buildExample(daemon, "cpp");
    expect(await onlyFiles(daemon, tag)).toEqual(["cpp-demo"]);
    const { stdout } = await docker(daemon, ["run", "--rm", "--network=none", tag]);
    expect(stdout).toBe("speck: 4 kB\ncaught: no size recorded for glibc\n");
  });

  it("crc32: several sources, include/ and a static zlib", async () => {
    const tag = await buildExample(daemon, "crc32");
    expect(await onlyFiles(daemon, tag)).toEqual(["crc32"]);
    const { stdout } = await docker(daemon, ["run", "--rm", "--network=none", tag, "hello"]);
    expect(stdout).toBe("3610a686  hello\n");
  });

  it("every profile builds pausle and the result runs", async () => {
    for (const profile of ["size", "tiny", "speed", "debug"]) {
      const dir = await fixture({ "speck.yaml": `${SYNTAX}\nsources: [pausle.c]\nprofile: ${profile}\n`, "pausle.c": "#include <unistd.h>\nint main(void) { return pause(); }\n" });
      const tag = tagFor(daemon, `profile-${profile}`);
      cleanupImage(daemon, tag);
      await speckBuild(daemon, { dir, tags: [tag], load: true });
      const size = Number((await inspectImage(daemon, tag)).Config.Labels?.["dev.speck.binary.size"]);
      if (profile === "size") expect(size).toBeLessThanOrEqual(13_400);
      if (profile === "tiny") expect(size).toBeLessThanOrEqual(3_600);
      const id = await start(daemon, tag);
      try {
        await sleep(300);
        expect(await running(daemon, id), `${profile} build keeps running`).toBe(true);
      } finally {
        await docker(daemon, ["rm", "-f", id], { check: false });
      }
    }
  });

  it("refuses a dynamically linked result, naming the interpreter and libraries", async () => {
    // A deliberately broken toolchain: its clang turns -static into -static-libgcc (and drops -fno-pie,
    // for a default PIE link), so the link against musl's libc.so is dynamic. It sits first in the
    // image's PATH, ahead of the real one.
    const tc = await fixture({
      clang: '#!/bin/sh\nfor a in "$@"; do shift; case $a in -fno-pie) ;; -static) set -- "$@" -static-libgcc ;; *) set -- "$@" "$a" ;; esac; done\nexec /usr/bin/clang "$@"\n',
      Dockerfile: 'FROM local/speck-toolchain:c\nCOPY --chmod=755 clang /opt/dynamic/clang\nENV PATH=/opt/dynamic:/usr/local/bin:/usr/bin:/bin\n',
    });
    const tcTag = tagFor(daemon, "dynamic-toolchain");
    cleanupImage(daemon, tcTag);
    await docker(daemon, ["buildx", "build", "--provenance=false", "--load", "-t", tcTag, tc]);
    const dir = await fixture({ "speck.yaml": `${SYNTAX}\nsources: [hi.c]\n`, "hi.c": "int main(void) { return 0; }\n" });
    const res = await speckBuild(daemon, { dir, buildContexts: { toolchain: `docker-image://${tcTag}` }, check: false, timeoutMs: 120_000 });
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(/hi is dynamically linked: interpreter \/lib\/ld-musl-x86_64\.so\.1, needs libc\.so/);
  });

  it("is reproducible: two --no-cache builds with SOURCE_DATE_EPOCH give the same image", async () => {
    const dir = await exampleCopy("hello");
    const digests: string[] = [];
    for (let i = 0; i < 2; i++) {
      const out = await mkdtemp(join(tmpdir(), "speck-oci-"));
      try {
        await speckBuild(daemon, { dir, noCache: true, buildArgs: { SOURCE_DATE_EPOCH: "1700000000" }, outputs: [`type=oci,dest=${join(out, "i.tar")}`] });
        digests.push(await ociManifestDigest(join(out, "i.tar")));
      } finally {
        await rm(out, { recursive: true, force: true });
      }
    }
    expect(digests[0]).toMatch(/^sha256:/);
    expect(digests[1]).toBe(digests[0]);
  });
});

describe("reproducible across daemon versions", () => {
  const daemons = inject("daemons");
  it.skipIf(daemons.length < 2)("uncompressed OCI archives are byte-identical on every daemon", async () => {
    const sums: string[] = [];
    for (const daemon of daemons) {
      const dir = await exampleCopy("pausle");
      const out = await mkdtemp(join(tmpdir(), "speck-oci-"));
      try {
        await speckBuild(daemon, {
          dir,
          noCache: true,
          buildArgs: { SOURCE_DATE_EPOCH: "1700000000" },
          outputs: [`type=oci,dest=${join(out, "i.tar")},compression=uncompressed,force-compression=true,rewrite-timestamp=true`],
        });
        sums.push(createHash("sha256").update(await readFile(join(out, "i.tar"))).digest("hex"));
        expect((await tarballLayers(join(out, "i.tar"))).flat().map((e) => e.path)).toEqual(["pausle"]);
      } finally {
        await rm(out, { recursive: true, force: true });
      }
    }
    expect(new Set(sums).size).toBe(1);
  });
});

/** The manifest digest an OCI archive's index points at. */
async function ociManifestDigest(tarball: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "speck-idx-"));
  try {
    const { run } = await import("./run.js");
    await run(["tar", "-xf", tarball, "-C", dir, "index.json"]);
    const index = JSON.parse(await readFile(join(dir, "index.json"), "utf8")) as { manifests: { digest: string }[] };
    return index.manifests[0]?.digest ?? "";
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
