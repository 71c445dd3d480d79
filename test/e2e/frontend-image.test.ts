// Issue 15: the frontend image is scratch plus node, its libraries and speck's
// V8 startup snapshot (Dockerfile), and a build really starts speck from that
// snapshot, on each daemon (each builds its own image from the Dockerfile, and
// each starts the frontend itself; the checks take a few seconds).

import { expect, it } from "vitest";
import { normalizeImageRef } from "../../llb/index.js";
import { startupReport, STARTUP_REPORT_ENV } from "../../frontend/startup.js";
import { versionLine } from "../../frontend/version.js";
import { speckIdentity } from "../../scripts/identity.mjs";
import pkg from "../../package.json" with { type: "json" };
import { describeDaemons, docker, fixture, FRONTEND_IMAGE, imageLayers, inspectImage } from "./helpers.js";
import { vertexOrder } from "./rawjson.js";
import { REPO, speckBuild } from "./speck.js";
import { buildReportingStartup } from "./startup-report.js";

// What `ldd` lists for the official Node 22 linux-x64 build on Debian bookworm, and its loader.
const LIBS = ["libc.so.6", "libdl.so.2", "libgcc_s.so.1", "libm.so.6", "libpthread.so.0", "libstdc++.so.6"].map((l) => `lib/x86_64-linux-gnu/${l}`);
const FILES = ["lib64/ld-linux-x86-64.so.2", ...LIBS, "speck/speck.blob", "usr/local/bin/node"].sort();

describeDaemons("frontend image", (daemon) => {
  it("holds node, the libraries it loads and the snapshot: no shell, no npm, no bundle source", async () => {
    const layers = await imageLayers(daemon, FRONTEND_IMAGE);
    expect(layers).toHaveLength(1);
    const entries = layers.flat();
    expect(entries.filter((e) => e.type === "-").map((e) => e.path).sort()).toEqual(FILES);
    expect(entries.filter((e) => e.type === "l" || e.type === "h")).toEqual([]);
    expect(entries.find((e) => e.path === "tmp")?.perms).toBe("rwxrwxrwt");
  });

  it("starts speck from the startup snapshot in a real build, before its first gateway call", async () => {
    const { build, log } = await buildReportingStartup(daemon, FRONTEND_IMAGE);
    expect(build.code, build.stderr).toBe(0);
    // Written by the function the snapshot registered for deserialisation, which is also what
    // then starts the gateway runtime (frontend/startup.ts): so before any gateway call.
    expect(log).toContain(startupReport("snapshot"));
    expect(log).not.toContain(startupReport("script"));
  });

  it("says what it is: OCI labels from this checkout, and the same version as the first progress line the frontend writes", async () => {
    const labels = (await inspectImage(daemon, FRONTEND_IMAGE)).Config.Labels ?? {};
    const label = (k: string): string | undefined => labels[`org.opencontainers.image.${k}`];
    // test/e2e/build-frontend-image.sh built it from this checkout (scripts/identity.mjs, no SPECK_* set).
    const id = speckIdentity(REPO);
    expect({ version: label("version"), revision: label("revision"), source: label("source") }).toEqual(id);
    expect(id.version).toBe(pkg.version);
    expect({ title: label("title"), licenses: label("licenses"), description: label("description") }).toEqual({ title: "speck", licenses: pkg.license, description: pkg.description });

    const dir = await fixture({ "speck.yaml": `# syntax=${FRONTEND_IMAGE}\nsources: [hi.c]\n`, "hi.c": "int main(void) { return 0; }\n" });
    const r = await speckBuild(daemon, { dir, extraArgs: ["--progress=rawjson"] });
    const names = vertexOrder(r.stderr);
    // Before it, only BuildKit's own lines: the Dockerfile frontend reading the file and finding the
    // `# syntax=` image, and that image (the speck frontend) being started.
    const started = names.findIndex((n) => n.startsWith(`docker-image://${normalizeImageRef(FRONTEND_IMAGE)}`));
    expect(started, names.join("\n")).toBeGreaterThan(0);
    expect(names[started + 1]).toBe(versionLine(id));
    expect(names.filter((n) => n.startsWith("speck "))).toEqual([versionLine(id)]);
  });

  it("the image as a user runs it: no BuildKit on stdin, so it says so and exits 1", async () => {
    const r = await docker(daemon, ["run", "--rm", "-i", "--network=none", "-e", `${STARTUP_REPORT_ENV}=1`, FRONTEND_IMAGE], { check: false, input: "" });
    expect(r.stderr).toContain(startupReport("snapshot"));
    expect(r.stderr).toContain("the connection to BuildKit closed before the build returned");
    expect(r.code).toBe(1);
  });
});
