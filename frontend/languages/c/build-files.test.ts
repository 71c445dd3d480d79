import { describe, expect, it } from "vitest";
import { parseBuildFile } from "../registry.js";
import { cmakeToolchainFile, configureArgv, configureView, mesonCrossFile, projectFlags, type ProjectFlags } from "./build-files.js";
import { planC } from "./plan.js";
import { cKeysOf } from "./spec-part.js";
import { explainPlan } from "../explain.js";

const spec = (extra = "") => parseBuildFile("speck.yaml", new TextEncoder().encode(`build: cmake\ntarget: hello\ncflags: [-Wall]\nlibs: [z]\n${extra}`));
const arm64 = { os: "linux", architecture: "arm64" };
const amd64 = { os: "linux", architecture: "amd64" };

describe("the toolchain and cross files", () => {
  const s = spec();
  const plan = planC(s, { platform: arm64, buildPlatform: amd64, files: [], linkMap: true });
  const c = projectFlags(plan);

  it("split the single run's flags: the target selection, the rest, the link map, the libs", () => {
    expect(c.driver).toBe("clang");
    expect(c.target).toEqual(["--no-default-config", "--target=aarch64-alpine-linux-musl", "--sysroot=/aarch64-alpine-linux-musl"]);
    expect(c.flags).toContain("-Os");
    expect(c.flags).toContain("-fuse-ld=lld");
    expect(c.flags[c.flags.length - 1]).toBe("-Wall");
    expect(c.link).toEqual(["-Wl,-Map=/meta/link.map"]);
    expect(c.libs).toEqual(["-lz"]);
  });

  it("CMake: clang for the target, the profile's flags, no build type's flags, llvm-ar, the target root for find_*", () => {
    const text = cmakeToolchainFile(c, c, "aarch64-alpine-linux-musl", "/aarch64-alpine-linux-musl");
    expect(text).toContain("set(CMAKE_SYSTEM_PROCESSOR aarch64)");
    expect(text).toContain(`set(CMAKE_C_FLAGS_INIT "--no-default-config --target=aarch64-alpine-linux-musl --sysroot=/aarch64-alpine-linux-musl ${c.flags.join(" ")}")`);
    expect(text).toContain('set(CMAKE_C_FLAGS_RELEASE "" CACHE STRING "speck: the profile decides")');
    expect(text).toContain('set(CMAKE_EXE_LINKER_FLAGS_INIT "-Wl,-Map=/meta/link.map")');
    expect(text).toContain("set(CMAKE_FIND_ROOT_PATH /aarch64-alpine-linux-musl)");
    expect(text).toContain("set(CMAKE_AR llvm-ar");
  });

  it("refuses a flag that is not one plain shell word (CMake pastes the string into a shell command)", () => {
    const bad: ProjectFlags = { ...c, flags: ["-DX=a b"] };
    expect(() => cmakeToolchainFile(bad, c, "x86_64-alpine-linux-musl", "/x")).toThrow(/not one plain shell word/);
  });

  it("Meson: lists, the CPU family, static libraries", () => {
    const text = mesonCrossFile(c, c, "armv7-alpine-linux-musleabihf");
    expect(text).toContain("c = ['clang', '--no-default-config', '--target=aarch64-alpine-linux-musl', '--sysroot=/aarch64-alpine-linux-musl']");
    expect(text).toContain("cpu_family = 'arm'");
    expect(text).toContain("default_library = 'static'");
    expect(text).toMatch(/^c_link_args = \[.*'-Wl,-Map=\/meta\/link.map', '-lz'\]$/m);
  });

  it("configure argv: options as -D arguments, never a shell", () => {
    const project = cKeysOf(spec("options:\n  GREETING: hi there\n")).project;
    expect(configureArgv(project!, "/src")).toEqual(["cmake", "-S", "/src", "-B", "/build", "-G", "Ninja", "-DCMAKE_TOOLCHAIN_FILE=/speck/toolchain.cmake", "-DCMAKE_BUILD_TYPE=", "-DGREETING=hi there"]);
  });

  it("the configure sees build-system and other files for real, sources and headers as empty stand-ins", () => {
    expect(configureView(["CMakeLists.txt", "cmake/Find.cmake", "include/config.h.in", "include/a.h", "src/a.c", "VERSION", "meson.build"])).toEqual({
      real: ["CMakeLists.txt", "cmake/Find.cmake", "include/config.h.in", "VERSION", "meson.build"],
      empty: ["include/a.h", "src/a.c"],
    });
  });

  it("a project build adds cmake, samurai and llvm to the build platform's packages and sends the whole context", () => {
    expect(plan.toolchain.packages).toEqual(["clang", "cmake", "lld", "llvm", "samurai"]);
    expect(plan.context.compile).toEqual(["**"]);
  });

  it("explain says how the configure is keyed and that the graph is read at build time", () => {
    const text = explainPlan(planC(s, { platform: amd64, files: [] }));
    expect(text).toContain("CMake project: target `hello`");
    expect(text).toContain("editing a source does not configure again");
    expect(text).toContain("decided at build time from `ninja -t commands hello`");
  });
});
