// Issue 18, point 4, end to end: Alpine's clang brings vendor defaults, and its `clang` package
// installs `/etc/clang*/<host triple>.cfg` (-fstack-clash-protection), which clang reads only when
// `--target` is the host's own triple. A linux/amd64 binary built on an amd64 worker must still be the
// same bytes as on an arm64 worker, which never reads that file: speck pins every default in its argv
// (`--no-default-config` and a stated choice per profile). A foreign build host is simulated by an
// Alpine whose clang lacks the .cfg.
//
// The control, so the comparison can fail: the same clang run directly, with and without
// `--no-default-config`, gives different bytes where the .cfg is present, and the same where it is not.

import { createHash } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { expect, it } from "vitest";
import { ALPINE_IMAGE, REAL_ALPINE, STANDIN_NO_CFG, viaBase } from "./alpine.js";
import { apkArches } from "./alpine-root.js";
import { buildx, describeDaemons, describeNewestDaemon, fixture, type Daemon } from "./helpers.js";
import { exampleCopy, speckBuild, tagFor } from "./speck.js";

/** The C and C++ examples (Go's compiler has no vendor defaults) and every profile. */
const EXAMPLES = { pausle: "pausle", pause: "pause", hello: "hello", httpd: "httpd", crc32: "crc32", cpp: "cpp-demo", mixed: "mixed" } as const;
const PROFILES = ["size", "tiny", "speed", "debug"] as const;

/** A frame larger than a page: stack-clash protection probes it, so the .cfg's flag shows in the code. */
const BIG_FRAME = "void use(char *);\nvoid f(void) { char b[65536]; use(b); }\n";

/**
 * The Alpine whose clang has no host .cfg. Offline: the stand-in's variant. Online: alpine:3.22 with
 * clang and lld installed and the .cfg removed, so speck's own `apk add clang lld` finds them present.
 */
async function alpineWithoutCfg(daemon: Daemon): Promise<string> {
  if (!REAL_ALPINE) return STANDIN_NO_CFG;
  const tag = tagFor(daemon, "alpine-nocfg");
  const dir = await fixture({ Dockerfile: `FROM ${ALPINE_IMAGE}\nRUN apk add --no-progress clang lld && rm -f /etc/clang*/*.cfg\n` });
  await buildx(daemon, { context: dir, tags: [tag], load: true, timeoutMs: 600_000 });
  return tag;
}

/** clang on `image` compiling BIG_FRAME for `triple` (the build machine's own), with and without --no-default-config: the objects. */
async function objects(daemon: Daemon, image: string, triple: string): Promise<{ plain: Buffer; pinned: Buffer; cfgs: string }> {
  const dir = await fixture({
    "f.c": BIG_FRAME,
    Dockerfile: [
      `FROM ${image} AS cc`,
      "RUN apk add --no-progress clang",
      "COPY f.c /w/f.c",
      "RUN ls /etc/clang*/ > /w/cfgs 2>&1 || true",
      `RUN clang --target=${triple} -O2 -c /w/f.c -o /w/plain.o`,
      `RUN clang --no-default-config --target=${triple} -O2 -c /w/f.c -o /w/pinned.o`,
      "FROM scratch",
      "COPY --from=cc /w/plain.o /w/pinned.o /w/cfgs /",
      "",
    ].join("\n"),
  });
  const out = await fixture({});
  await buildx(daemon, { context: dir, outputs: [`type=local,dest=${out}`], timeoutMs: 600_000 });
  return { plain: await readFile(join(out, "plain.o")), pinned: await readFile(join(out, "pinned.o")), cfgs: await readFile(join(out, "cfgs"), "utf8") };
}

const sha256 = (b: Uint8Array): string => createHash("sha256").update(b).digest("hex");

describeDaemons("vendor defaults pinned (issue 18)", (daemon) => {
  it("control: the host .cfg changes clang's bytes unless --no-default-config; without the .cfg it changes nothing", { timeout: 900_000 }, async () => {
    // The .cfg is the build machine's own triple's: x86_64 here, aarch64 on an arm64 runner.
    const triple = `${(await apkArches(daemon)).own}-alpine-linux-musl`;
    const withCfg = await objects(daemon, ALPINE_IMAGE, triple);
    expect(withCfg.cfgs).toContain(`${triple}.cfg`);
    expect(sha256(withCfg.plain), "the .cfg reaches an unpinned compile").not.toBe(sha256(withCfg.pinned));
    const without = await objects(daemon, await alpineWithoutCfg(daemon), triple);
    expect(without.cfgs).not.toContain(`${triple}.cfg`);
    expect(sha256(without.plain)).toBe(sha256(without.pinned));
    // The pinned compile does not depend on the file at all.
    expect(sha256(without.pinned)).toBe(sha256(withCfg.pinned));
  });
});

// 56 builds: on the newest daemon only. What they compare is clang's output for two base images on one
// daemon; that a build's bytes do not depend on the BuildKit version is examples.test.ts's cross-daemon check.
describeNewestDaemon("vendor defaults pinned, every example and profile (issue 18)", (daemon) => {
  it("linux/amd64 binaries are byte-identical with and without the host .cfg, for every C/C++ example and profile", { timeout: 1_800_000 }, async () => {
    const bases = [ALPINE_IMAGE, await alpineWithoutCfg(daemon)];
    const jobs = Object.keys(EXAMPLES).flatMap((name) => PROFILES.map((profile) => ({ name: name as keyof typeof EXAMPLES, profile })));
    const t0 = performance.now();
    const differ: string[] = [];
    const digests: string[] = [];
    // Two builds at a time: enough to overlap the frontend's start with another build's compile.
    for (let i = 0; i < jobs.length; i += 2) {
      await Promise.all(
        jobs.slice(i, i + 2).map(async ({ name, profile }) => {
          const dir = await exampleCopy(name);
          const yaml = join(dir, "speck.yaml");
          await writeFile(yaml, `${await readFile(yaml, "utf8")}profile: ${profile}\n`);
          const sums: string[] = [];
          for (const base of bases) {
            const out = await fixture({});
            await speckBuild(daemon, { ...viaBase(base), dir, platform: "linux/amd64", buildArgs: { SOURCE_DATE_EPOCH: "1700000000" }, outputs: [`type=local,dest=${out}`], timeoutMs: 900_000 });
            sums.push(sha256(await readFile(join(out, EXAMPLES[name]))));
          }
          digests.push(`${sums[0] ?? ""}  ${name} ${profile}`);
          if (sums[0] !== sums[1]) differ.push(`${name} ${profile}: ${sums.join(" vs ")}`);
        }),
      );
    }
    process.stderr.write(`alpine-vendor [${daemon.name}] ${jobs.length * 2} builds: ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    // The workflow compares these between its amd64 and arm64 runners (.github/workflows/real-alpine.yml).
    const file = process.env["SPECK_E2E_DIGESTS"];
    if (file) await writeFile(file, `${digests.sort((a, b) => a.slice(66).localeCompare(b.slice(66))).join("\n")}\n`);
    expect(differ).toEqual([]);
  });
});
