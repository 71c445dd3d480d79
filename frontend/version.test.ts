// The version identity: `speck version`, the first progress line, and the Dockerfile's label
// defaults, which must agree with package.json (a Dockerfile cannot read it).

import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import pkg from "../package.json" with { type: "json" };
import { httpsUrl, speckIdentity } from "../scripts/identity.mjs";
import { SPECK_IDENTITY, UNKNOWN, versionLine, versionText } from "./version.js";

const ROOT = resolve(import.meta.dirname, "..");
const REV = "0a07fe9c1d2e3f40516273849aabbccddeeff001";

describe("the version identity", () => {
  it("run from the TypeScript sources: package.json's version, and no revision it would have to guess", () => {
    expect(SPECK_IDENTITY).toEqual({ version: pkg.version, revision: UNKNOWN, source: UNKNOWN });
  });

  it("the first progress line names the version and the short revision", () => {
    expect(versionLine({ version: "1.2.3", revision: REV, source: "https://example.org/speck" })).toBe("speck 1.2.3 (rev 0a07fe9)");
    expect(versionLine({ version: "1.2.3", revision: UNKNOWN, source: UNKNOWN })).toBe("speck 1.2.3 (rev unknown)");
    expect(versionText({ version: "1.2.3", revision: REV, source: "https://example.org/speck" })).toBe(`version:  1.2.3\nrevision: ${REV}\nsource:   https://example.org/speck\n`);
  });

  describe("from the bundle", () => {
    const dir = mkdtempSync(join(tmpdir(), "speck-version-"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const bundle = (env: Record<string, string>): string => {
      const out = join(dir, `speck-${Object.keys(env).length}.mjs`);
      const made = spawnSync(process.execPath, [join(ROOT, "scripts/bundle.mjs"), "--outfile", out], { env: { ...process.env, ...env }, encoding: "utf8" });
      expect(made.status, made.stderr).toBe(0);
      const ran = spawnSync(process.execPath, [out, "version"], { encoding: "utf8" });
      expect(ran.status, ran.stderr).toBe(0);
      return ran.stdout;
    };

    it("prints what the build arguments said", () => {
      const out = bundle({ SPECK_VERSION: "9.8.7", SPECK_REVISION: REV, SPECK_SOURCE: "https://example.org/o/speck" });
      expect(out).toBe(`version:  9.8.7\nrevision: ${REV}\nsource:   https://example.org/o/speck\n`);
    });

    it("without them, this checkout's version and revision", () => {
      const out = bundle({ SPECK_VERSION: "", SPECK_REVISION: "", SPECK_SOURCE: "" });
      const head = spawnSync("git", ["-C", ROOT, "rev-parse", "HEAD"], { encoding: "utf8" }).stdout.trim();
      expect(out).toContain(`version:  ${pkg.version}\n`);
      expect(out).toContain(`revision: ${head || UNKNOWN}\n`);
    });
  });
});

describe("scripts/identity.mjs", () => {
  it("takes the environment first, then the checkout, and 'unknown' where there is nothing", () => {
    expect(speckIdentity(ROOT, { SPECK_VERSION: "2.0.0", SPECK_REVISION: "abc", SPECK_SOURCE: "https://example.org/s" })).toEqual({ version: "2.0.0", revision: "abc", source: "https://example.org/s" });
    const none = mkdtempSync(join(tmpdir(), "speck-nogit-"));
    try {
      // Not a git repository and no package.json: no revision and no source, and no version to read.
      expect(() => speckIdentity(none, {})).toThrow(/package\.json/);
      expect(speckIdentity(none, { SPECK_VERSION: "1.0.0" })).toEqual({ version: "1.0.0", revision: UNKNOWN, source: UNKNOWN });
    } finally {
      rmSync(none, { recursive: true, force: true });
    }
  });

  it("turns a git remote into an https URL a reader can open, without credentials", () => {
    expect(httpsUrl("git@github.com:owner/speck.git")).toBe("https://github.com/owner/speck");
    expect(httpsUrl("https://user:token@github.com/owner/speck.git")).toBe("https://github.com/owner/speck");
    expect(httpsUrl("ssh://git@example.org:2222/owner/speck")).toBe("https://example.org/owner/speck");
    expect(httpsUrl("/srv/git/speck")).toBeUndefined();
    expect(httpsUrl("file:///srv/git/speck")).toBeUndefined();
    expect(httpsUrl(undefined)).toBeUndefined();
  });
});

describe("the Dockerfile's label defaults", () => {
  const dockerfile = readFileSync(join(ROOT, "Dockerfile"), "utf8");
  const arg = (name: string): string | undefined => new RegExp(`^ARG ${name}=(.*)$`, "m").exec(dockerfile)?.[1];
  const label = (name: string): string | undefined => new RegExp(`org\\.opencontainers\\.image\\.${name}="([^"]*)"`).exec(dockerfile)?.[1];

  it("are package.json's version, license and description", () => {
    expect(arg("SPECK_VERSION")).toBe(pkg.version);
    expect(arg("SPECK_REVISION")).toBe(UNKNOWN);
    expect(arg("SPECK_SOURCE")).toBe(UNKNOWN);
    expect(label("licenses")).toBe(pkg.license);
    expect(label("description")).toBe(pkg.description);
    expect(label("version")).toBe("${SPECK_VERSION}");
    expect(label("revision")).toBe("${SPECK_REVISION}");
    expect(label("source")).toBe("${SPECK_SOURCE}");
  });
});
