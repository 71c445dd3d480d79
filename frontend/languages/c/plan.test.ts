import { describe, expect, it } from "vitest";
import { UserError } from "../../errors.js";
import { parseBuildFile } from "../registry.js";
import { explainPlan as explain } from "../explain.js";
import { cLanguage } from "./index.js";
import { planC as plan } from "./plan.js";
import { C_PROFILES as PROFILES, profileFlags } from "./profiles.js";
import { withImageFiles } from "../../plan/plan.js";
import type { Spec } from "../../speckfile/types.js";

const contextPatterns = (s: Spec) => withImageFiles(s, cLanguage.contextPatterns(s));

const amd64 = { os: "linux", architecture: "amd64" } as const;
const spec = (s: string) => parseBuildFile("speck.yaml", new TextEncoder().encode(s));

describe("plan", () => {
  it("asks the linker for a map file only when the SBOM is wanted, and changes nothing else", () => {
    const s = spec('sources: [main.c]\nldflags: ["-Wl,-O1"]\n');
    const without = plan(s, { platform: amd64 });
    const withMap = plan(s, { platform: amd64, linkMap: true });
    expect(without.compile.linkMap).toBeUndefined();
    expect(without.compile.argv.some((a) => a.includes("-Map"))).toBe(false);
    expect(withMap.compile.linkMap).toEqual({ dir: "/meta", path: "/meta/link.map" });
    const at = withMap.compile.argv.indexOf("-Wl,-Map=/meta/link.map");
    expect(at).toBe(withMap.compile.argv.indexOf("-Wl,-O1") + 1);
    expect(withMap.compile.argv.filter((_, i) => i !== at)).toEqual(without.compile.argv);
  });

  it("compiles and links every source in one argv, in the documented order", () => {
    const p = plan(
      spec(`name: app
sources: [main.c, lib/util.c]
cflags: [-Wall]
ldflags: ["-Wl,--as-needed"]
defines: ["X=$(id)", "Y=; rm -rf /", Z]
include: [include]
libs: [z, m]
`),
      { platform: amd64, sourceDateEpoch: 1700000000 },
    );
    const argv = p.compile.argv;
    expect(argv.slice(0, 4)).toEqual(["clang", "--no-default-config", "--target=x86_64-alpine-linux-musl", "--sysroot=/x86_64-alpine-linux-musl"]);
    const size = profileFlags(PROFILES.size, "c", "clang").map((f) => f.flag);
    expect(argv.slice(4, 4 + size.length)).toEqual(size);
    expect(size).toContain("-fno-pie");
    expect(size).not.toContain("-no-pie");
    // The profile's pinned vendor defaults (vendor-defaults.ts), then the link-only flags.
    expect(argv.slice(4 + size.length, 8 + size.length)).toEqual(["-fstack-protector-strong", "-U_FORTIFY_SOURCE", "-Wl,--build-id=sha1", "-fstack-clash-protection"]);
    expect(argv[8 + size.length]).toBe("-fuse-ld=lld");
    const at = (s: string): number => argv.indexOf(s);
    expect(at("-DX=$(id)")).toBeGreaterThan(0); // one element, literal: there is no shell
    expect(at("-DY=; rm -rf /")).toBeGreaterThan(0);
    expect(at("-Wall")).toBeGreaterThan(at("-Os"));
    expect(at("-I/src/include")).toBeGreaterThan(at("-DZ"));
    expect(argv.slice(at("-o"))).toEqual(["-o", "/out/app", "main.c", "lib/util.c", "-lz", "-lm"]);
    expect(argv.filter((a) => a.startsWith("-frandom-seed="))).toHaveLength(1);
    expect(argv).toContain("-ffile-prefix-map=/src=.");
    expect(p.compile.env).toEqual(["LC_ALL=C", "SOURCE_DATE_EPOCH=1700000000"]);
    expect(p.toolchain).toEqual({
      image: "alpine:3.22", compiler: "clang", platform: amd64, emulated: false, packages: ["clang", "lld"], warnings: [],
      sysroot: { path: "/x86_64-alpine-linux-musl", triple: "x86_64-alpine-linux-musl", apkArch: "x86_64", packages: ["gcc", "musl-dev"] },
    });
    expect(p.context.compile).toEqual(expect.arrayContaining(["main.c", "lib/util.c", "include/**", "lib/*.h", "*.h"]));
    expect(Object.isFrozen(p.compile.argv)).toBe(true);
  });

  it("uses clang++ and g++ for C++, keeps its unwind tables in tiny, and sorts packages", () => {
    const p = plan(spec("sources: [a.cpp]\nprofile: tiny\npackages: [zlib-static, g++]\n"), { platform: amd64 });
    expect(p.compile.argv[0]).toBe("clang++");
    expect(p.toolchain.sysroot?.packages).toEqual(["g++", "musl-dev", "zlib-static"]);
    const gcc = plan(spec("sources: [a.cpp]\nprofile: tiny\npackages: [zlib-static]\ntoolchain: {compiler: gcc}\n"), { platform: amd64 });
    expect(gcc.compile.argv[0]).toBe("c++");
    expect(gcc.toolchain.packages).toEqual(["g++", "musl-dev", "zlib-static"]);
    expect(p.compile.argv).not.toContain("-fno-unwind-tables");
    const c = plan(spec("sources: [a.c]\nprofile: tiny\n"), { platform: amd64 });
    expect(c.compile.argv).toContain("-fno-unwind-tables");
  });

  it("compiles a C++ program's C sources as C, links with clang++, and keeps every unwind table in tiny", () => {
    const p = plan(spec("sources: [main.cpp, walk.c]\nprofile: tiny\nlibs: [m]\n"), { platform: amd64 });
    const argv = p.compile.argv;
    expect(argv[0]).toBe("clang++");
    expect(argv.slice(argv.indexOf("-o"))).toEqual(["-o", "/out/main", "main.cpp", "-x", "c", "walk.c", "-x", "none", "-lm"]);
    // No -fno-*unwind-tables, and -funwind-tables so a throw passes a C frame on 32-bit Arm too.
    expect(argv.filter((a) => /unwind-tables/.test(a))).toEqual(["-funwind-tables"]);
    const c = plan(spec("sources: [walk.c]\nprofile: tiny\n"), { platform: amd64 }).compile.argv;
    expect(c.filter((a) => /unwind-tables/.test(a))).toEqual(["-fno-asynchronous-unwind-tables", "-fno-unwind-tables"]);
    expect(p.compile.flags.map((f) => f.flag)).not.toContain("-x");
    expect(explain(p)).toContain("Sources: main.cpp, walk.c (compiled as C)");
  });

  it("gives the same seed for the same inputs and another for other inputs", () => {
    const seed = (s: string) => plan(spec(s), { platform: amd64 }).compile.argv.find((a) => a.startsWith("-frandom-seed="));
    expect(seed("sources: [a.c]")).toBe(seed("sources: [a.c]"));
    expect(seed("sources: [a.c]")).not.toBe(seed("sources: [b.c]\nname: a"));
  });

  it("expands globs against the context's files, and says which pattern matched nothing", () => {
    const s = spec("name: x\nsources: [src/*.c, main.c]\n");
    expect(plan(s, { platform: amd64, files: ["main.c", "src/b.c", "src/a.c", "src/a.h"] }).sources).toEqual(["src/a.c", "src/b.c", "main.c"]);
    expect(() => plan(s, { platform: amd64, files: ["main.c"] })).toThrow(UserError);
    expect(() => plan(s, { platform: amd64, files: ["main.c"] })).toThrow("speck.yaml:2:11: `src/*.c` matches no file in the build context");
  });

  it("fills the image config", () => {
    const p = plan(spec("sources: [a.c]\nimage: {expose: [80], stopsignal: TERM, files: [{src: c, dest: /etc/c}]}\n"), { platform: amd64 });
    expect(p.image).toEqual({
      entrypoint: ["/a"], cmd: [], env: [], user: "65534:65534", workingDir: "/", labels: {}, exposedPorts: ["80/tcp"],
      stopSignal: "SIGTERM", binary: { path: "/a", mode: 0o755 }, files: [{ src: "c", dest: "/etc/c", mode: 0o644 }],
    });
    expect(p.context.image).toEqual(["c"]);
  });

  it("refuses platforms it cannot build for, as the user's mistake", () => {
    expect(() => plan(spec("sources: [a.c]"), { platform: { os: "windows", architecture: "amd64" } })).toThrow(UserError);
  });
});

describe("contextPatterns", () => {
  it("names the compile inputs and the image files, nothing else, before globs are expanded", () => {
    const s = spec("name: x\nsources: [src/*.c]\ninclude: [inc]\nimage: {files: [{src: conf/a.conf}]}\n");
    expect(contextPatterns(s)).toEqual(["conf/a.conf", "inc/**", "src/*.c", "src/*.h", "src/*.hh", "src/*.hpp", "src/*.hxx", "src/*.inc"]);
  });
});

describe("explain", () => {
  it("names the toolchain, every flag with its reason, and the image", () => {
    const p = plan(spec("sources: [a.c]\nprofile: tiny\ndefines: [\"X=$(id)\"]\nbudget: 4KiB\n"), { platform: amd64 });
    const text = explain(p);
    expect(text).toContain("apk add clang lld");
    expect(text).toContain("apk add --root /x86_64-alpine-linux-musl --initdb --arch x86_64 --keys-dir /usr/share/apk/keys/x86_64 --no-scripts --no-progress --update-cache --cache-dir var/cache/apk gcc musl-dev");
    for (const f of p.compile.flags) expect(text).toContain(f.why);
    expect(text).toContain("'-DX=$(id)'");
    expect(text).toContain("/a  mode 0755, owner 0:0");
    expect(text).toContain("4,096 B");
  });
});
