// Unit tests of the bench's pure helpers: table layout, the tar reader, the
// trace parser, the median, wall-time rows, the entrypoint Dockerfile and the
// floor notes. (Run: npx vitest run -c bench/vitest.config.ts)

import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BEFORE_ISSUE_15, sizeTarget } from "./frontend-bytes.js";
import { floorNote } from "./frontend-floors.js";
import { genCProject } from "./gen-c-project.js";
import { entrypointDockerfile } from "./frontend-images.js";
import { wallRows } from "./interleave.js";
import { median } from "./stats.js";
import { formatTable } from "./table.js";
import { readTar } from "./tar.js";
import { busyMs, parseTrace } from "./trace-log.js";

/** One ustar header + data, padded to 512-byte blocks. */
function tarEntry(name: string, data: string, type = "0", prefix = ""): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, "utf8");
  h.write("0000644\0", 100);
  h.write(`${Buffer.byteLength(data).toString(8).padStart(11, "0")}\0`, 124);
  h.write(type, 156);
  h.write("ustar\0", 257);
  h.write("00", 263);
  h.write(prefix, 345);
  const body = Buffer.alloc(Math.ceil(Buffer.byteLength(data) / 512) * 512);
  body.write(data);
  return Buffer.concat([h, body]);
}

describe("formatTable", () => {
  it("aligns numbers right with a shared number of decimals and text left", () => {
    const out = formatTable({ title: "t", rows: [{ name: "a", n: 13304, r: 1.92 }, { name: "bbb", n: 5, r: 1 }] });
    expect(out).toBe(["t", "name       n     r", "----  ------  ----", "a     13,304  1.92", "bbb        5  1.00", ""].join("\n"));
  });
  it("leaves missing cells empty and keeps first-seen column order", () => {
    const out = formatTable({ title: "t", rows: [{ a: "x" }, { b: 2, a: "y" }] });
    expect(out.split("\n")[1]).toBe("a  b");
    expect(out.split("\n")[3]).toBe("x");
    expect(out.split("\n")[4]).toBe("y  2");
  });
});

describe("readTar", () => {
  it("reads names, types, sizes and data, with ustar prefixes and GNU long names", () => {
    const long = `${"d/".repeat(60)}file`;
    const tar = Buffer.concat([
      tarEntry("./pausle", "ELF!"),
      tarEntry("dir/", "", "5"),
      tarEntry("name", "x", "0", "some/prefix"),
      tarEntry("././@LongLink", `${long}\0`, "L"),
      tarEntry("replaced-by-long-name", "abc"),
      Buffer.alloc(1024),
    ]);
    const entries = readTar(tar);
    expect(entries.map((e) => [e.path, e.type, e.size])).toEqual([
      ["pausle", "0", 4],
      ["dir", "5", 0],
      ["some/prefix/name", "0", 1],
      [long, "0", 3],
    ]);
    expect(Buffer.from(entries[0]?.data ?? []).toString()).toBe("ELF!");
  });
});

describe("parseTrace", () => {
  const run = ["speck-trace 400.5 entry cpu 300.2", "speck-trace 900 call Ping 100", "speck-trace 920.5 call Solve 4.5", "speck-trace 950 exit 0 cpu 610"];
  it("reads entry, calls and exit from daemon log text", () => {
    const t = parseTrace(["noise", ...run.map((l) => `${l}`), "more noise"].join("\n"));
    expect(t).toEqual({ entry: 400.5, exit: 950, entryCpu: 300.2, exitCpu: 610, calls: [{ method: "Ping", end: 900, took: 100 }, { method: "Solve", end: 920.5, took: 4.5 }] });
  });
  it("refuses text with no run, two runs, or a run that has not exited", () => {
    expect(() => parseTrace("nothing")).toThrow(/found 0 starts/);
    expect(() => parseTrace([...run, ...run].join("\n"))).toThrow(/found 2 starts/);
    expect(() => parseTrace(run.slice(0, 3).join("\n"))).toThrow(/no exit/);
  });
});

describe("median", () => {
  it("takes the middle value, or the mean of the two middle values", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});

describe("wallRows", () => {
  it("reports medians in seconds and their ratio to the base, with every run", () => {
    const times = new Map([
      ["base", [{ ms: 300 }, { ms: 200 }, { ms: 250 }]],
      ["other", [{ ms: 500 }, { ms: 600 }, { ms: 400 }]],
    ]);
    expect(wallRows(times, "base")).toEqual([
      { variant: "base", "median s": 0.25, "/ base": 1, "runs s": "0.30 0.20 0.25" },
      { variant: "other", "median s": 0.5, "/ base": 2, "runs s": "0.50 0.60 0.40" },
    ]);
  });
});

describe("entrypointDockerfile", () => {
  it("writes FROM base and the entrypoint in exec form, quoting every argument as JSON", () => {
    expect(entrypointDockerfile("speck:e2e", ["/usr/local/bin/node", "-e", "0"])).toBe('FROM speck:e2e\nENTRYPOINT ["/usr/local/bin/node","-e","0"]\n');
    const text = entrypointDockerfile("b", ["/x", 'a "quoted" arg', "new\nline"]);
    expect(text.split("\n")).toHaveLength(3);
    expect(JSON.parse(text.split("\n")[1]?.replace(/^ENTRYPOINT /, "") ?? "")).toEqual(["/x", 'a "quoted" arg', "new\nline"]);
  });
  it("refuses an empty argv, an empty argument and a base that would break the FROM line", () => {
    expect(() => entrypointDockerfile("b", [])).toThrow(/non-empty argv/);
    expect(() => entrypointDockerfile("b", ["/x", ""])).toThrow(/non-empty strings/);
    expect(() => entrypointDockerfile("b\nRUN x", ["/x"])).toThrow(/without spaces/);
  });
});

describe("floorNote", () => {
  it("says no Node frontend can meet the goal when bare Node is already above it", () => {
    expect(floorNote({ runtime: 1.58, http2: 1.45, bareNode: 1.43 }, 1.3)).toBe(
      "floor: the gateway runtime alone is 1.58x the Dockerfile build, the same calls over node:http2 1.45x, bare Node 1.43x; the issue's 1.3x target is below all three: no frontend image that starts Node can meet it",
    );
  });
  it("says no gateway call fits when even node:http2 is above the goal", () => {
    expect(floorNote({ runtime: 1.55, http2: 1.35, bareNode: 1.21 }, 1.3)).toMatch(/1\.35x, bare Node 1\.21x; the issue's 1\.3x target is below even a runtime without grpc-js/);
  });
  it("blames grpc-js when only the runtime is above the goal", () => {
    expect(floorNote({ runtime: 1.4, http2: 1.2, bareNode: 1.1 }, 1.3)).toMatch(/below the runtime's floor: speck cannot meet it on grpc-js$/);
  });
  it("says the goal is within reach when all are at or under it", () => {
    expect(floorNote({ runtime: 1.3, http2: 1.2, bareNode: 1.1 }, 1.3)).toMatch(/all three are within the issue's 1\.3x target/);
    expect(floorNote({ runtime: 1.2, http2: 1.1, bareNode: 1.0 })).toMatch(/within/);
  });
  it("says so when any was not measured", () => {
    expect(floorNote({ runtime: Number.NaN, http2: 1, bareNode: 1 })).toBe("floor: not measured");
    expect(floorNote({ runtime: 1, http2: Number.NaN, bareNode: 1 })).toBe("floor: not measured");
    expect(floorNote({ runtime: 1, http2: 1, bareNode: Number.NaN })).toBe("floor: not measured");
  });
});

describe("busyMs", () => {
  const call = (end: number, took: number) => ({ method: "M", end, took });
  it("counts overlapping calls once and adds the disjoint ones", () => {
    // [10,20] and [15,25] overlap -> 15; [30,32] -> 2; [31,31.5] lies inside it.
    expect(busyMs([call(25, 10), call(20, 10), call(32, 2), call(31.5, 0.5)])).toBe(17);
  });
  it("is zero without calls", () => {
    expect(busyMs([])).toBe(0);
  });
});

describe("sizeTarget", () => {
  const bytes = (imageCompressed: number) => ({ imageCompressed, layersCompressed: imageCompressed, layersUncompressed: 0, files: new Map(), labels: {} });
  it("is met at half the bytes before issue 15, and names the node binary as the floor when that alone is above it", () => {
    const half = BEFORE_ISSUE_15.compressed / 2;
    expect(sizeTarget(bytes(half), bytes(half - 1)).target.met).toBe(true);
    const out = sizeTarget(bytes(47_000_000), bytes(40_000_000));
    expect(out.target.met).toBe(false);
    expect(out.target.measured).toBe("0.95 (47 MB)");
    expect(out.note).toMatch(/node binary alone \(stripped\) is 40 MB compressed, above the target's 24\.86 MB: no image that ships it can meet the target; the rest of the project image is 7 MB/);
  });
  it("says when it was not measured", () => {
    expect(sizeTarget(undefined, undefined).note).toBe("size floor: not measured");
    expect(sizeTarget(undefined, undefined).target.met).toBe(false);
  });
});

describe("genCProject", () => {
  it("writes 101 units in four directories and a spec, the same bytes every time", async () => {
    const [a, b] = [await mkdtemp(join(tmpdir(), "gen-a-")), await mkdtemp(join(tmpdir(), "gen-b-"))];
    try {
      const p = genCProject(a, { syntax: "x" });
      genCProject(b, { syntax: "x" });
      expect(p.units).toHaveLength(101);
      expect(Object.keys(p.byDir)).toHaveLength(4);
      const spec = await readFile(join(a, "speck.yaml"), "utf8");
      expect(spec.split("\n")[0]).toBe("# syntax=x");
      for (const f of ["src/core/u07.c", "src/main.c", "include/config.h"]) expect(await readFile(join(b, f), "utf8")).toBe(await readFile(join(a, f), "utf8"));
      expect((await readdir(join(a, "src/net"))).filter((f) => f.endsWith(".c"))).toHaveLength(25);
    } finally {
      await rm(a, { recursive: true, force: true });
      await rm(b, { recursive: true, force: true });
    }
  });
});
