import { describe, expect, it } from "vitest";
import { parseBuildFile } from "../registry.js";
import { planC as plan } from "./plan.js";
import { compileMode, MIN_UNITS, parseDepfile, planScans, planUnits, SCAN_CHUNK, unitReads } from "./unit-plan.js";

const amd64 = { os: "linux", architecture: "amd64" } as const;
const spec = (s: string) => parseBuildFile("speck.yaml", new TextEncoder().encode(s));
const FILES = ["main.c", "lib/util.c", "lib/util.h", "include/common.h", "include/unused.h", "x.cpp"];
const twoUnits = (extra = "") => plan(spec(`name: app\nsources: [main.c, lib/util.c]\ninclude: [include]\nlibs: [z]\n${extra}`), { platform: amd64, files: FILES });
const MANY = Array.from({ length: MIN_UNITS }, (_, i) => `s${i}.c`);
const many = (extra = "") => plan(spec(`sources: [${MANY.join(", ")}]\n${extra}`), { platform: amd64, files: MANY });

describe("compileMode", () => {
  it("keeps fewer than MIN_UNITS sources on one compiler run, and more on the unit graph", () => {
    expect(compileMode(plan(spec("sources: [main.c]\n"), { platform: amd64 }))).toEqual({ kind: "single", why: "1 source: below 8, one compiler run is faster than a step per source" });
    expect(compileMode(twoUnits()).kind).toBe("single");
    expect(compileMode(many())).toEqual({ kind: "units" });
  });

  it("keeps whole-program flags on one run, naming the flag", () => {
    expect(compileMode(many("cflags: [-flto]\n"))).toEqual({ kind: "single", why: "`-flto` needs the whole program in one compiler run" });
    expect(compileMode(many("cflags: ['@flags.txt']\n")).kind).toBe("single");
  });
});

describe("parseDepfile", () => {
  it("reads gcc's rules in order, with continuations and escapes", () => {
    const text = "main.o: main.c include/common.h \\\n lib/util.h\nutil.o: lib/util.c a\\ b.h $$x.h\n";
    expect(parseDepfile(text)).toEqual([["main.c", "include/common.h", "lib/util.h"], ["lib/util.c", "a b.h", "$x.h"]]);
  });
});

describe("unitReads", () => {
  const p = twoUnits();
  const scans = planScans(p, undefined);

  it("maps each rule to its source; absolute /src paths and ../ are made context-relative; toolchain paths are dropped", () => {
    const dep = "main.o: main.c /src/include/common.h lib/../lib/util.h /usr/include/stdio.h\nutil.o: lib/util.c lib/util.h\n";
    const reads = unitReads(scans, [dep], p.sources, FILES);
    expect(reads?.get("main.c")).toEqual(["main.c", "include/common.h", "lib/util.h"]);
    expect(reads?.get("lib/util.c")).toEqual(["lib/util.c", "lib/util.h"]);
  });

  it("gives up (whole context, never stale) when the rules do not fit", () => {
    expect(unitReads(scans, ["main.o: main.c\n"], p.sources, FILES)).toBeUndefined();
    expect(unitReads(scans, ["util.o: lib/util.c\nmain.o: main.c\n"], p.sources, FILES)).toBeUndefined();
    expect(unitReads(scans, ["main.o: main.c gone.h\nutil.o: lib/util.c\n"], p.sources, FILES)).toBeUndefined();
  });
});

describe("planScans and planUnits", () => {
  it("scans in chunks of SCAN_CHUNK sources, each mounting its sources and every non-source file", () => {
    const srcs = Array.from({ length: SCAN_CHUNK + 4 }, (_, i) => `s${String(i).padStart(2, "0")}.c`);
    const files = [...srcs, "a.h", "include/b.h", "notes.txt"];
    const p = plan(spec(`name: app\nsources: ["*.c"]\n`), { platform: amd64, files });
    const scans = planScans(p, files);
    expect(scans.map((s) => s.sources)).toEqual([srcs.slice(0, SCAN_CHUNK), srcs.slice(SCAN_CHUNK)]);
    expect(scans[1]?.reads).toEqual([...srcs.slice(SCAN_CHUNK), "a.h", "include/b.h", "notes.txt"]);
    expect(scans[1]?.argv.slice(-5)).toEqual(["-M", ...srcs.slice(SCAN_CHUNK)]);
    // Without the file list (the fallback), one scan per language over the whole context.
    expect(planScans(p, undefined).map((s) => [s.sources.length, s.reads])).toEqual([[SCAN_CHUNK + 4, undefined]]);
  });

  it("scans once per language with the program's flags; a C++ program's C unit is its driver's `-x c`", () => {
    const p = plan(spec("name: app\nsources: [main.c, x.cpp]\n"), { platform: amd64, files: FILES });
    const scans = planScans(p, undefined);
    expect(scans.map((s) => [s.language, s.sources])).toEqual([["c", ["main.c"]], ["c++", ["x.cpp"]]]);
    expect(scans[0]?.argv.slice(0, 5)).toEqual(["sh", "-c", 'exec "$@" >/deps/deps.mk', "speck-scan", "clang++"]);
    expect(scans[0]?.argv.slice(-3)).toEqual(["-x", "c", "main.c"]);
    expect(scans[1]?.argv.slice(-2)).toEqual(["-M", "x.cpp"]);
    const g = planUnits(p, undefined);
    expect(g.units.map((u) => [u.argv[0], u.argv.slice(-3)])).toEqual([
      ["clang++", ["-x", "c", "main.c"]],
      ["clang++", ["-o", "/obj/x.o", "x.cpp"]],
    ]);
    expect(g.link.argv[0]).toBe("clang++");
  });

  it("keeps the SBOM's link map off the compiles and the scan: only the link writes it", () => {
    const p = plan(spec("name: app\nsources: [main.c, lib/util.c]\n"), { platform: amd64, files: FILES, linkMap: true });
    const g = planUnits(p, undefined);
    const map = "-Wl,-Map=" + (p.compile.linkMap?.path ?? "");
    expect(g.units.every((u) => !u.argv.includes(map))).toBe(true);
    expect(planScans(p, undefined).every((s) => !s.argv.includes(map))).toBe(true);
    expect(g.link.argv).toContain(map);
  });

  it("passes the single run's flags to every compile and to the link, objects in source order, then the libraries", () => {
    const p = twoUnits();
    const flags = p.compile.flags.map((f) => f.flag);
    const g = planUnits(p, new Map([["main.c", ["main.c"]], ["lib/util.c", ["lib/util.c", "lib/util.h"]]]));
    expect(g.units[1]).toEqual({ source: "lib/util.c", language: "c", reads: ["lib/util.c", "lib/util.h"], argv: ["clang", ...flags, "-c", "-o", "/obj/util.o", "lib/util.c"], object: "/obj/util.o" });
    expect(g.link.argv).toEqual(["clang", ...flags, "-o", "/out/app", "/obj/0/main.o", "/obj/1/util.o", "-lz"]);
    expect(g.link.needsContext).toBe(false);
    expect(planUnits(twoUnits("ldflags: ['-Wl,-T,link.ld']\n"), undefined).link.needsContext).toBe(true);
  });

  it("mounts the context in the link for `ldflags` by the flag's typed origin, not by its explanation", () => {
    const p = twoUnits("ldflags: ['-Wl,-T,link.ld']\n");
    expect(planUnits(p, undefined).link.needsContext).toBe(true);
    // Rewording every flag's sentence changes nothing about the link's mounts.
    const reworded = { ...p, compile: { ...p.compile, flags: p.compile.flags.map((f) => ({ ...f, why: "reworded" })) } };
    expect(planUnits(reworded, undefined).link.needsContext).toBe(true);
    // A `cflags` flag with ldflags' sentence does not make the link read the context.
    const cflagsOnly = twoUnits("cflags: ['-Wall']\n");
    const disguised = { ...cflagsOnly, compile: { ...cflagsOnly.compile, flags: cflagsOnly.compile.flags.map((f) => ({ ...f, why: "from `ldflags`" })) } };
    expect(planUnits(disguised, undefined).link.needsContext).toBe(false);
  });
});
