// Issue 3, end to end: a `# syntax=` file answered by the speck frontend image,
// on each test daemon. What reaches the frontend (labels, build args,
// --no-cache, --build-context) must show in what it returns.

import { mkdtemp, readFile, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { buildxArgs, describeDaemons, docker, fixture, imageLayers, inspectImage, TOOLCHAIN_IMAGE } from "./helpers.js";
import { cleanupImage, speckBuild, SYNTAX, tagFor } from "./speck.js";

const hello = '#include <stdio.h>\nint main(void) { puts("hi from e2e"); return 0; }\n';

describeDaemons("frontend", (daemon) => {
  it("builds a scratch image with the binary, a context file and the image config", async () => {
    const dir = await fixture({
      "speck.yaml": [
        SYNTAX,
        "sources: [hi.c]",
        "image:",
        "  env: { MODE: e2e }",
        "  user: '1000:1000'",
        "  cmd: [--flag]",
        "  files:",
        "    - { src: motd.txt, dest: /etc/motd, mode: '0640' }",
        "",
      ].join("\n"),
      "hi.c": hello,
      "motd.txt": "welcome\n",
      "unrelated.bin": "never sent to the daemon\n",
    });
    const tag = tagFor(daemon, "frontend-config");
    cleanupImage(daemon, tag);
    await speckBuild(daemon, { dir, tags: [tag], load: true });

    const img = await inspectImage(daemon, tag);
    expect(img.Config.Entrypoint).toEqual(["/hi"]);
    expect(img.Config.Cmd).toEqual(["--flag"]);
    expect(img.Config.Env).toContain("MODE=e2e");
    expect(img.Config.User).toBe("1000:1000");
    const entries = (await imageLayers(daemon, tag)).flat();
    const files = entries.filter((e) => e.type === "-").map((e) => `${e.path} ${e.perms} ${e.owner}`);
    expect(files.sort()).toEqual(["etc/motd rw-r----- 0/0", "hi rwxr-xr-x 0/0"]);

    const out = await docker(daemon, ["run", "--rm", "--network=none", "--entrypoint=/hi", tag]);
    expect(out.stdout).toBe("hi from e2e\n");
  });

  it("builds a source that is a symbolic link to another file in the context", async () => {
    const dir = await fixture({ "speck.yaml": `${SYNTAX}\nsources: [hi.c]\n`, "impl/real.c": hello });
    await symlink("impl/real.c", join(dir, "hi.c"));
    const tag = tagFor(daemon, "frontend-symlink");
    cleanupImage(daemon, tag);
    await speckBuild(daemon, { dir, tags: [tag], load: true });
    const out = await docker(daemon, ["run", "--rm", "--network=none", tag]);
    expect(out.stdout).toBe("hi from e2e\n");
  });

  it("exports the generated LLB with --target=debug-llb", async () => {
    const dir = await fixture({ "speck.yaml": `${SYNTAX}\nsources: [hi.c]\nprofile: tiny\n`, "hi.c": hello });
    const out = await mkdtemp(join(tmpdir(), "speck-debug-"));
    await speckBuild(daemon, { dir, target: "debug-llb", outputs: [`type=local,dest=${out}`] });
    const ops = JSON.parse(await readFile(join(out, "llb.json"), "utf8")) as { kind: string; op?: { meta?: { args?: string[] } } }[];
    const exec = ops.find((o) => o.kind === "exec");
    expect(exec?.op?.meta?.args?.[0]).toBe("clang");
    expect(exec?.op?.meta?.args).toContain("-Wl,-z,norelro");
    expect(await readFile(join(out, "plan.txt"), "utf8")).toContain("profile tiny");
  });

  it("shows the file, line and message of a bad build file", async () => {
    const dir = await fixture({ "speck.yaml": `${SYNTAX}\nsources: [hi.c]\nprofil: tiny\n`, "hi.c": hello });
    const res = await speckBuild(daemon, { dir, check: false, timeoutMs: 120_000 });
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain("speck.yaml:3");
    expect(res.stderr).toContain("unknown key `profil`");
    expect(res.stderr).toContain("did you mean `profile`");
    // buildx prints the source snippet from the errdefs.Source detail.
    expect(res.stderr).toMatch(/>>>\s*profil: tiny/);
  });

  // buildx 0.13 (d26) predates --check and --call; its --print (experimental) asks for the same subrequests.
  const oldBuildx = daemon.name === "d26";

  it.skipIf(oldBuildx)("answers --check without building (buildx >= 0.15 has --check)", async () => {
    const dir = await fixture({ "good.yaml": `${SYNTAX}\nsources: [hi.c]\n`, "bad.yaml": `${SYNTAX}\nsources: [hi.c]\nprofil: tiny\n`, "hi.c": hello });
    const good = await speckBuild(daemon, { dir, file: "good.yaml", extraArgs: ["--check"] });
    expect(good.stdout + good.stderr).toContain("Check complete, no warnings found.");
    expect(good.stderr).not.toContain("[compile");
    const bad = await speckBuild(daemon, { dir, file: "bad.yaml", extraArgs: ["--check"], check: false });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("unknown key `profil` (did you mean `profile`?)");
    expect(bad.stderr).toMatch(/>>>\s*profil: tiny/);
  });

  it("lists its targets for --call=targets (--print=targets on buildx 0.13)", async () => {
    const dir = await fixture({ "speck.yaml": `${SYNTAX}\nsources: [hi.c]\n`, "hi.c": hello });
    const args = buildxArgs({
      context: dir,
      file: join(dir, "speck.yaml"),
      buildContexts: { toolchain: `docker-image://${TOOLCHAIN_IMAGE}` },
      extraArgs: [oldBuildx ? "--print=targets" : "--call=targets"],
    });
    const targets = await docker(daemon, args, { env: { BUILDX_EXPERIMENTAL: "1" }, timeoutMs: 120_000 });
    expect(targets.stdout).toMatch(/image \(default\)\s+the scratch image/);
    expect(targets.stdout).toContain("debug-llb");
    expect(targets.stderr).not.toContain("[compile");
  });

  it("passes --label, --build-arg SOURCE_DATE_EPOCH and --no-cache through", async () => {
    const dir = await fixture({ "speck.yaml": `${SYNTAX}\nsources: [hi.c]\n`, "hi.c": hello });
    const tag = tagFor(daemon, "frontend-opts");
    cleanupImage(daemon, tag);
    const opts = { dir, tags: [tag], load: true, labels: { "org.example.team": "mesh" }, buildArgs: { SOURCE_DATE_EPOCH: "1700000000", UNUSED_ARG: "x" } };
    const first = await speckBuild(daemon, opts);
    expect(first.stderr).toMatch(/build-arg UNUSED_ARG is not used by speck/);
    const img = await inspectImage(daemon, tag);
    expect(img.Config.Labels?.["org.example.team"]).toBe("mesh");
    expect(img.Config.Labels?.["dev.speck.profile"]).toBe("size");
    expect(img.Created).toBe("2023-11-14T22:13:20Z");

    const cached = await speckBuild(daemon, opts);
    const compileCached = /#(\d+) \[compile [^\n]*\n#\1 CACHED/;
    expect(cached.stderr).toMatch(compileCached);
    const fresh = await speckBuild(daemon, { ...opts, noCache: true });
    expect(fresh.stderr).toMatch(/\[compile linux\/\w+\] clang /);
    expect(fresh.stderr).not.toMatch(compileCached);
  });
});
