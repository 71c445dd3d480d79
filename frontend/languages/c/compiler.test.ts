import { describe, expect, it } from "vitest";
import { UserError } from "../../errors.js";
import { parseBuildFile } from "../registry.js";
import { chooseCompiler, driverArgv } from "./compiler.js";
import { planC as plan } from "./plan.js";
import { TARGET_PLATFORMS as TARGETS } from "../../plan/targets.js";

const spec = (s: string) => parseBuildFile("speck.yaml", new TextEncoder().encode(s));
const amd64 = { os: "linux", architecture: "amd64" } as const;
const arm64 = { os: "linux", architecture: "arm64" } as const;
const platformOf = (id: string) => {
  const [os = "", architecture = "", variant] = id.split("/");
  return { os, architecture, ...(variant ? { variant } : {}) };
};

describe("chooseCompiler", () => {
  it("clang: runs on the build platform for every target, with the target's triple and root", () => {
    for (const t of TARGETS) {
      const c = chooseCompiler(spec("sources: [a.c]"), platformOf(t.id), amd64);
      expect(c.runsOn, t.id).toEqual(amd64);
      expect(c.emulated).toBe(false);
      expect(driverArgv(c, "c")).toEqual(["clang", "--no-default-config", `--target=${t.triple}`, `--sysroot=/${t.triple}`]);
      expect(c.linkFlags.map((f) => f.flag)).toEqual(["-fuse-ld=lld"]);
      expect(c.packages).toEqual(["clang", "lld"]);
      expect(c.sysroot).toEqual({ path: `/${t.triple}`, triple: t.triple, apkArch: t.apkArch, packages: ["gcc", "musl-dev"] });
      expect(c.warnings).toEqual([]);
    }
  });

  it("one compiler per target: the argv does not depend on the build machine", () => {
    const s = spec("sources: [a.cpp]\npackages: [zlib-static]\nlibs: [z]\n");
    for (const t of TARGETS) {
      const onAmd = plan(s, { platform: platformOf(t.id), buildPlatform: amd64 });
      const onArm = plan(s, { platform: platformOf(t.id), buildPlatform: arm64 });
      expect(onArm.compile.argv, t.id).toEqual(onAmd.compile.argv);
      expect(onArm.toolchain.sysroot).toEqual(onAmd.toolchain.sysroot);
      expect(onArm.toolchain.platform).toEqual(arm64);
    }
  });

  it("C++ gets clang++ and g++ (libstdc++) in the target root; packages go to the target root", () => {
    const c = chooseCompiler(spec("sources: [a.cpp]\npackages: [zlib-static, zlib-dev]\n"), arm64, amd64);
    expect(driverArgv(c, "c++")[0]).toBe("clang++");
    expect(c.sysroot?.packages).toEqual(["g++", "musl-dev", "zlib-dev", "zlib-static"]);
    expect(c.packages).toEqual(["clang", "lld"]);
  });

  it("gcc: the target's own toolchain, emulated (with a warning) for another architecture", () => {
    const s = spec("sources: [a.c]\ntoolchain: {compiler: gcc}\n");
    const native = chooseCompiler(s, amd64, amd64);
    expect(native).toMatchObject({ name: "gcc", runsOn: amd64, emulated: false, warnings: [], sysroot: undefined });
    expect(driverArgv(native, "c")).toEqual(["cc"]);
    const foreign = chooseCompiler(s, arm64, amd64);
    expect(foreign).toMatchObject({ runsOn: arm64, emulated: true });
    expect(foreign.warnings[0]).toMatch(/^linux\/arm64: toolchain.compiler is gcc, so .* under emulation/);
    expect(chooseCompiler(s, { os: "linux", architecture: "arm", variant: "v7" }, { os: "linux", architecture: "arm", variant: "v6" }).emulated).toBe(true);
  });

  it("linux/arm is arm/v7; a platform Alpine does not publish is the user's mistake", () => {
    expect(chooseCompiler(spec("sources: [a.c]"), { os: "linux", architecture: "arm" }, amd64).target.triple).toBe("armv7-alpine-linux-musleabihf");
    expect(() => chooseCompiler(spec("sources: [a.c]"), { os: "linux", architecture: "mips64le" }, amd64)).toThrow(UserError);
    expect(() => chooseCompiler(spec("sources: [a.c]"), { os: "linux", architecture: "arm", variant: "v5" }, amd64)).toThrow(/linux\/arm\/v5/);
  });
});
