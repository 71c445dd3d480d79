// Issue 21 end to end: a CMake project (build: cmake) through the Alpine stand-in: configured
// once per target platform with speck's toolchain file, compiled one cached op per translation
// unit read from `ninja -t commands`, archived and linked. The examples build with the targets'
// qemu interpreters off (clang cross-compiles; nothing may run under emulation) and then run; on
// the generated ~100-unit CMake program each edit re-runs exactly what reads it, counted from
// `--progress=rawjson`; bad input gets the tool's words or a located error.

import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it, onTestFinished } from "vitest";
import { genCProject, writeCMakeVersion, writeConfig, CMAKE_DEFAULT_VERSION } from "../../bench/gen-c-project.js";
import { main } from "../../frontend/cli.js";
import { viaAlpine } from "./alpine.js";
import { enableEmulation, QEMU, withoutEmulation } from "./binfmt.js";
import { describeDaemons, docker, FRONTEND_IMAGE, type Daemon, type RunResult } from "./helpers.js";
import { compileRuns, ranVertices } from "./rawjson.js";
import { cleanupImage, exampleCopy, speckBuild, tagFor, type SpeckBuildOptions } from "./speck.js";

const TWO = ["linux/amd64", "linux/arm64"] as const;
const EPOCH = { SOURCE_DATE_EPOCH: "1700000000" };

function build(daemon: Daemon, o: Omit<SpeckBuildOptions, "withoutToolchain" | "buildContexts">): Promise<RunResult> {
  return speckBuild(daemon, { ...viaAlpine(), timeoutMs: 900_000, ...o });
}

async function tempDir(what: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `speck-${what}-`));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** The manifest digest an OCI archive's index points at. */
async function manifestDigest(tarball: string): Promise<string> {
  const dir = await tempDir("idx");
  const { run } = await import("./run.js");
  await run(["tar", "-xf", tarball, "-C", dir, "index.json"]);
  const index = JSON.parse(await readFile(join(dir, "index.json"), "utf8")) as { manifests: { digest: string }[] };
  return index.manifests[0]?.digest ?? "";
}

async function edit(path: string, from: string, to: string): Promise<void> {
  const text = await readFile(path, "utf8");
  if (!text.includes(from)) throw new Error(`${path} has no ${JSON.stringify(from)}`);
  await writeFile(path, text.replace(from, to));
}

/** What a build ran of a project's stages: configure, units (by source), archives, link, one-op ninja. */
function projectRuns(stderr: string) {
  const ran = ranVertices(stderr).map((v) => v.name);
  const c = compileRuns(stderr);
  return {
    configure: ran.filter((n) => /^\[configure \S+\] (cmake|meson) /.test(n)).length,
    units: c.units,
    link: c.link,
    ninja: ran.filter((n) => /^\[compile \S+\] ninja /.test(n)).length,
  };
}

describeDaemons("CMake projects (issue 21)", (daemon) => {
  let foreign: string[] = [];
  beforeAll(async () => {
    const arch = (await docker(daemon, ["version", "-f", "{{.Server.Arch}}"])).stdout.trim();
    foreign = arch === "arm64" ? ["qemu-x86_64"] : [QEMU.arm64 as string];
    await enableEmulation(foreign);
  });
  afterAll(async () => enableEmulation(foreign));

  it("examples/cmake-greet builds per unit for amd64 and arm64 with emulation off, runs on each, and two clean builds give one digest", { timeout: 900_000 }, async () => {
    const dir = await exampleCopy("cmake-greet");
    const tag = tagFor(daemon, "cmake-greet");
    cleanupImage(daemon, tag);
    const t0 = performance.now();
    const r = await withoutEmulation(foreign, () => build(daemon, { dir, platform: TWO.join(","), buildArgs: EPOCH, tags: [tag], load: true, extraArgs: ["--progress=rawjson", "--no-cache-filter", "compile"] }));
    process.stderr.write(`cmake [${daemon.name}] cmake-greet x2 platforms: ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    const runs = projectRuns(r.stderr);
    expect(runs.ninja, "no one-op fallback").toBe(0);
    expect(runs.units.filter((u) => u === "src/main.c")).toHaveLength(2);
    for (const p of TWO) {
      const out = await docker(daemon, ["run", "--rm", "--network=none", "--ulimit", "core=0", "--platform", p, tag, "--shout"], { check: false, timeoutMs: 120_000 });
      expect(`${p}: ${out.code} ${out.stdout}`).toBe(`${p}: 0 HI from greet 1.4.0\n`);
    }
    // Reproducible: the same digest from a build that ran every compile again.
    const digests: string[] = [];
    for (let i = 0; i < 2; i++) {
      const out = await tempDir("oci");
      await withoutEmulation(foreign, () => build(daemon, { dir, platform: "linux/amd64", buildArgs: EPOCH, outputs: [`type=oci,dest=${join(out, "img.tar")}`], ...(i === 1 ? { extraArgs: ["--no-cache-filter", "compile"] } : {}) }));
      digests.push(await manifestDigest(join(out, "img.tar")));
    }
    expect(digests[0]).toMatch(/^sha256:/);
    expect(digests[0]).toBe(digests[1]);

    // --sbom=true: the link map names what went in; the program's own sources are the CMake target's.
    const out = await tempDir("sbom");
    await withoutEmulation(foreign, () => build(daemon, { dir, platform: "linux/amd64", buildArgs: EPOCH, outputs: [`type=oci,dest=${join(out, "i.tar")}`], extraArgs: ["--sbom=true"] }));
    let cli = "";
    const code = await main(["sbom", join(out, "i.tar")], { out: (t) => (cli += String(t)), err: (t) => (cli += t) });
    expect(code, cli).toBe(0);
    for (const f of ["src/main.c", "src/words.c", "src/shout.c"]) expect(cli).toContain(f);
    expect(cli).toMatch(/musl/);
  });

  it("examples/meson-greet (no `build:`: its meson.build chooses) builds for amd64 and arm64 with emulation off and runs on each", { timeout: 900_000 }, async () => {
    const dir = await exampleCopy("meson-greet");
    const tag = tagFor(daemon, "meson-greet");
    cleanupImage(daemon, tag);
    const t0 = performance.now();
    const r = await withoutEmulation(foreign, () => build(daemon, { dir, platform: TWO.join(","), buildArgs: EPOCH, tags: [tag], load: true, extraArgs: ["--progress=rawjson", "--no-cache-filter", "compile"] }));
    process.stderr.write(`cmake [${daemon.name}] meson-greet x2 platforms: ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    const runs = projectRuns(r.stderr);
    expect(runs.configure).toBe(2);
    // Its speck.yaml has no `build:`: the meson.build at the context's top chose Meson.
    expect(ranVertices(r.stderr).filter((v) => /^\[configure \S+\] meson setup --cross-file /.test(v.name))).toHaveLength(2);
    expect(runs.ninja, "no one-op fallback").toBe(0);
    for (const p of TWO) {
      const out = await docker(daemon, ["run", "--rm", "--network=none", "--ulimit", "core=0", "--platform", p, tag], { check: false, timeoutMs: 120_000 });
      expect(`${p}: ${out.code} ${out.stdout}`).toBe(`${p}: 0 hi from greet 2.0.1\n`);
    }
  });

  it("the ~100-unit CMake program: a .c edit re-runs one unit and the link, a header its readers, CMakeLists.txt the configure", { timeout: 900_000 }, async () => {
    const dir = await tempDir("cmake-gen");
    const gen = genCProject(dir, { build: "cmake", work: 1, syntax: FRONTEND_IMAGE, salt: `cmake ${daemon.name} ${process.pid} ${Date.now()}` });
    const tag = tagFor(daemon, "cmake-gen");
    cleanupImage(daemon, tag);
    let step = 0;
    const run = async () => {
      const t0 = performance.now();
      const r = await build(daemon, { dir, tags: [tag], load: true, extraArgs: ["--progress=rawjson"] });
      process.stderr.write(`cmake [${daemon.name}] gen build ${++step}: ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
      return projectRuns(r.stderr);
    };
    const output = async () => (await docker(daemon, ["run", "--rm", "--network=none", tag])).stdout.trim();

    const cold = await run();
    expect(cold).toMatchObject({ configure: 1, ninja: 0, link: 1 });
    expect(cold.units).toHaveLength(gen.units.length);
    expect(await output()).toMatch(new RegExp(`^value=1 sum=\\d+ tag=plain version=${CMAKE_DEFAULT_VERSION.replace(/\./g, "\\.")}$`));

    expect(await run()).toEqual({ configure: 0, units: [], link: 0, ninja: 0 });

    await edit(join(dir, "src/net/u07.c"), "u64 acc = 8ULL;", "u64 acc = 1008ULL;");
    expect(await run()).toEqual({ configure: 0, units: ["src/net/u07.c"], link: 1, ninja: 0 });

    writeConfig(dir, 7);
    const header = await run();
    expect(header).toMatchObject({ configure: 0, units: [...gen.configReaders].sort(), link: 1 });
    expect(await output()).toMatch(/^value=7 /);

    writeCMakeVersion(dir, "4.5.6");
    const again = await run();
    expect(again).toMatchObject({ configure: 1, units: [...gen.generatedReaders].sort(), link: 1 });
    expect(await output()).toMatch(/ version=4\.5\.6$/);
  });

  it("a custom command (a generated source) builds the target in one ninja op, says so, and the program runs", { timeout: 600_000 }, async () => {
    const dir = await exampleCopy("cmake-greet");
    await writeFile(join(dir, "src/extra.c.txt"), "const char *extra(void) { return \"generated at build time\"; }\n");
    await edit(
      join(dir, "CMakeLists.txt"),
      "add_executable(greet src/main.c)",
      [
        // Salted: the configure must run in this test, not come from an earlier run's cache.
        `# ${daemon.name} ${process.pid} ${Date.now()}`,
        "add_custom_command(OUTPUT extra.c COMMAND ${CMAKE_COMMAND} -E copy ${CMAKE_CURRENT_SOURCE_DIR}/src/extra.c.txt extra.c DEPENDS src/extra.c.txt)",
        "add_executable(greet src/main.c ${CMAKE_CURRENT_BINARY_DIR}/extra.c)",
      ].join("\n"),
    );
    await edit(join(dir, "src/main.c"), "  return 0;", "  const char *extra(void);\n  puts(extra());\n  return 0;");
    const tag = tagFor(daemon, "cmake-custom");
    cleanupImage(daemon, tag);
    const r = await build(daemon, { dir, tags: [tag], load: true, extraArgs: ["--progress=rawjson"] });
    const runs = projectRuns(r.stderr);
    expect(runs).toMatchObject({ configure: 1, ninja: 1, units: [], link: 0 });
    expect(ranVertices(r.stderr).map((v) => v.name)).toContainEqual(expect.stringMatching(/^\[compile \S+\] ninja greet \(one step: ninja runs a command speck does not split into steps: `cd \/build && /));
    expect((await docker(daemon, ["run", "--rm", "--network=none", tag])).stdout).toBe("hi from greet 1.4.0\ngenerated at build time\n");
  });

  it("bad input: no such target lists the executables; a failing configure shows CMake's error with its file and line; an unknown option is CMake's warning", { timeout: 600_000 }, async () => {
    const dir = await exampleCopy("cmake-greet");
    const spec = await readFile(join(dir, "speck.yaml"), "utf8");

    await writeFile(join(dir, "speck.yaml"), spec.replace("target: greet", "target: gret"));
    const missing = await build(daemon, { dir, check: false });
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/speck\.yaml:\d+:\d+: the CMake project has no executable target `gret` \(its executables: `greet`\)/);
    expect(missing.stderr).not.toMatch(/\n\s+at .*\.(ts|js|mjs):\d+/);

    await writeFile(join(dir, "speck.yaml"), spec.replace("  GREETING: hi", "  GREETING: hi\n  NOT_AN_OPTION: 1"));
    const unused = await build(daemon, { dir });
    expect(unused.stderr).toMatch(/did not use `NOT_AN_OPTION` from `options`/);

    await writeFile(join(dir, "speck.yaml"), spec);
    await edit(join(dir, "CMakeLists.txt"), "add_executable(greet src/main.c)", "add_executable(greet src/main.c)\nmessage(FATAL_ERROR \"speck e2e: broken on purpose\")");
    const broken = await build(daemon, { dir, check: false });
    expect(broken.code).not.toBe(0);
    expect(broken.stderr).toMatch(/CMake could not configure the project:/);
    expect(broken.stderr).toMatch(/CMake Error at CMakeLists\.txt:\d+ \(message\):/);
    expect(broken.stderr).toMatch(/speck e2e: broken on purpose/);
    expect(broken.stderr).not.toMatch(/\n\s+at .*\.(ts|js|mjs):\d+/);
  });
});
