// Every profile states its choice for each default a distribution's compiler
// carries (Alpine's clang: stack protector, _FORTIFY_SOURCE, the host .cfg's
// stack-clash protection), in the argv and in `speck explain`. That the
// pinned argv gives the same bytes with and without Alpine's host .cfg is
// proven end to end (test/e2e/alpine-vendor.test.ts).

import { describe, expect, it } from "vitest";
import type { ProfileName } from "../../speckfile/types.js";
import { TARGET_PLATFORMS as TARGETS } from "../../plan/targets.js";
import { explainPlan as explain } from "../explain.js";
import { parseBuildFile } from "../registry.js";
import { planC as plan } from "./plan.js";

const spec = (s: string) => parseBuildFile("speck.yaml", new TextEncoder().encode(s));
const platformOf = (id: string) => {
  const [os = "", architecture = "", variant] = id.split("/");
  return { os, architecture, ...(variant ? { variant } : {}) };
};
const amd64 = platformOf("linux/amd64");

/** The pinned choices of each profile on x86_64, as argv elements. */
const EXPECTED: Readonly<Record<ProfileName, readonly string[]>> = {
  size: ["-fstack-protector-strong", "-U_FORTIFY_SOURCE", "-Wl,--build-id=sha1", "-fstack-clash-protection"],
  speed: ["-fstack-protector-strong", "-U_FORTIFY_SOURCE", "-Wl,--build-id=sha1", "-fstack-clash-protection"],
  debug: ["-fstack-protector-strong", "-U_FORTIFY_SOURCE", "-Wl,--build-id=sha1", "-fstack-clash-protection"],
  tiny: ["-fno-stack-protector", "-U_FORTIFY_SOURCE", "-Wl,--build-id=none", "-fno-stack-clash-protection"],
};
const PINNED = /^(-f(no-)?stack-protector(-strong)?|-[UD]_FORTIFY_SOURCE(=.*)?|-Wl,--build-id=.*|-f(no-)?stack-clash-protection|--no-default-config)$/;

describe("vendor defaults pinned", () => {
  it("clang: --no-default-config right after the driver, then one stated choice per default and profile, each in explain with its reason", () => {
    for (const [profile, expected] of Object.entries(EXPECTED)) {
      for (const language of ["c", "c++"]) {
        const p = plan(spec(`sources: [${language === "c" ? "a.c" : "a.cc"}]\nprofile: ${profile}\n`), { platform: amd64, buildPlatform: amd64 });
        const argv = p.compile.argv;
        expect(argv[1], `${profile} ${language}`).toBe("--no-default-config");
        expect(argv.filter((a) => PINNED.test(a)), `${profile} ${language}`).toEqual(["--no-default-config", ...expected]);
        const text = explain(p);
        for (const f of p.compile.flags.filter((x) => PINNED.test(x.flag))) {
          expect(f.why.length).toBeGreaterThan(40);
          // One line of the Flags section: the flag, then its reason.
          const line = text.split("\n").find((l) => l.startsWith(`  ${f.flag} `));
          expect(line, `${profile}: ${f.flag}`).toMatch(new RegExp(` {2}${f.why.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`));
        }
      }
    }
  });

  it("the same argv whatever the build machine: the pins depend on the target, not on where clang runs", () => {
    for (const t of TARGETS) {
      const onAmd64 = plan(spec("sources: [a.c]\n"), { platform: platformOf(t.id), buildPlatform: amd64 });
      const onArm64 = plan(spec("sources: [a.c]\n"), { platform: platformOf(t.id), buildPlatform: platformOf("linux/arm64") });
      expect(onArm64.compile.argv, t.id).toEqual(onAmd64.compile.argv);
    }
  });

  it("stack-clash protection is stated only where clang 19 can probe (elsewhere clang would warn and ignore it)", () => {
    const clash = (id: string): string[] =>
      plan(spec("sources: [a.c]\n"), { platform: platformOf(id), buildPlatform: amd64 }).compile.argv.filter((a) => a.includes("stack-clash"));
    expect(Object.fromEntries(TARGETS.map((t) => [t.id, clash(t.id)]))).toEqual({
      "linux/amd64": ["-fstack-clash-protection"],
      "linux/arm64": ["-fstack-clash-protection"],
      "linux/386": ["-fstack-clash-protection"],
      "linux/ppc64le": ["-fstack-clash-protection"],
      "linux/s390x": ["-fstack-clash-protection"],
      "linux/arm/v7": [],
      "linux/arm/v6": [],
      "linux/riscv64": [],
    });
  });

  it("gcc: the stack protector and fortification are pinned too (and tiny's build ID); no clang-only option reaches it", () => {
    for (const [profile, expected] of Object.entries(EXPECTED)) {
      const p = plan(spec(`sources: [a.c]\nprofile: ${profile}\ntoolchain: {compiler: gcc}\n`), { platform: amd64 });
      const gcc = profile === "tiny" ? expected.slice(0, 3) : expected.slice(0, 2);
      expect(p.compile.argv.filter((a) => PINNED.test(a)), profile).toEqual(gcc);
    }
  });

  it("a user's define comes after the pin and wins: fortification is an opt-in", () => {
    const p = plan(spec('sources: [a.c]\ndefines: ["_FORTIFY_SOURCE=2"]\n'), { platform: amd64, buildPlatform: amd64 });
    const argv = p.compile.argv;
    expect(argv.indexOf("-D_FORTIFY_SOURCE=2")).toBeGreaterThan(argv.indexOf("-U_FORTIFY_SOURCE"));
  });
});
