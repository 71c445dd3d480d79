// Issue 22, end to end: `docker buildx build --call outline` on an example prints the build
// arguments speck reads, with their descriptions and values, and builds nothing. buildx 0.13
// (d26) predates --call; its experimental --print=outline sends the same subrequest, so d26
// runs that instead (never a skip counted as a pass).

import { join } from "node:path";
import { expect, it } from "vitest";
import { buildxArgs, describeDaemons, docker, TOOLCHAIN_IMAGE } from "./helpers.js";
import { exampleCopy } from "./speck.js";

describeDaemons("--call outline", (daemon) => {
  const oldBuildx = daemon.name === "d26";
  const flag = oldBuildx ? "--print=outline" : "--call=outline";

  it(`prints the build arguments with descriptions for examples/hello (${flag})`, async () => {
    const dir = await exampleCopy("hello");
    const args = buildxArgs({
      context: dir,
      file: join(dir, "speck.yaml"),
      buildArgs: { SOURCE_DATE_EPOCH: "1700000000" },
      buildContexts: { toolchain: `docker-image://${TOOLCHAIN_IMAGE}` },
      extraArgs: [flag],
    });
    const out = await docker(daemon, args, { env: { BUILDX_EXPERIMENTAL: "1" }, timeoutMs: 120_000 });
    // buildx's own printer: a TARGET header, then BUILD ARG / VALUE / DESCRIPTION columns.
    expect(out.stdout).toMatch(/^TARGET:\s+image$/m);
    expect(out.stdout).toMatch(/^DESCRIPTION:\s+the scratch image with the static binary$/m);
    expect(out.stdout).toMatch(/^BUILD ARG\s+VALUE\s+DESCRIPTION$/m);
    expect(out.stdout).toMatch(/^SOURCE_DATE_EPOCH\s+1700000000\s+seconds since 1970: every file's time/m);
    expect(out.stdout).toMatch(/^BUILDKIT_MULTI_PLATFORM\s+false\s+true: an image index even for one platform/m);
    expect(out.stdout).toMatch(/^BUILDKIT_ATTEST_SBOM\s+the same as --sbom/m);
    expect(out.stderr).not.toContain("[compile");
  });

  it(`refuses an unknown --target with the targets speck has (${flag})`, async () => {
    const dir = await exampleCopy("hello");
    const args = buildxArgs({ context: dir, file: join(dir, "speck.yaml"), target: "imgae", extraArgs: [flag] });
    const out = await docker(daemon, args, { env: { BUILDX_EXPERIMENTAL: "1" }, timeoutMs: 120_000, check: false });
    expect(out.code).not.toBe(0);
    expect(out.stderr).toContain('unknown target "imgae": speck builds "image" or "debug-llb"');
  });
});
