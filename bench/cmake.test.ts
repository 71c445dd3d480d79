// The CMake section's pure parts: which file and contexts each tool builds
// with, and how runs become rows and targets.

import { describe, expect, it } from "vitest";
import { CMAKE_PHASES, CMAKE_TOOLS, cmakeBuildOptions, cmakeReport, cmakeRuns as runs } from "./cmake.js";

describe("cmakeBuildOptions", () => {
  it("speck builds the tree's speck.yaml, the Dockerfiles come from bench/dockerfiles; all on the stand-in as alpine:3.22", () => {
    expect(cmakeBuildOptions("speck", "/t").file).toBe("/t/speck.yaml");
    expect(cmakeBuildOptions("(a) cmake+ninja RUN", "/t").file).toMatch(/bench\/dockerfiles\/cmake\.Dockerfile$/);
    expect(cmakeBuildOptions("(b) + ccache mount", "/t").file).toMatch(/bench\/dockerfiles\/cmake-ccache\.Dockerfile$/);
    for (const t of CMAKE_TOOLS) expect(cmakeBuildOptions(t, "/t").buildContexts).toEqual({ "alpine:3.22": "docker-image://local/speck-alpine-offline:3.22" });
  });
});

describe("cmakeReport", () => {
  it("one row per phase with medians and ratios; targets met or not from the medians", () => {
    const got = runs((tool, phase) => {
      if (tool === "speck") return phase === "cold" ? [9000, 11000, 10000] : [1000, 1200, 800];
      return phase === "cold" ? [12000, 12000, 12000] : [6000, 6000, 6000];
    });
    const { rows, targets } = cmakeReport(got);
    expect(rows.map((r) => r["phase"])).toEqual([...CMAKE_PHASES]);
    expect(rows[0]).toMatchObject({ "speck s": 10, "(a) s": 12, "(a)/speck": 1.2, "speck runs s": "9.00 11.00 10.00" });
    expect(targets.map((t) => [t.what, t.met])).toEqual([
      ["cmake gen: one .c edit, (a)/speck", true],
      ["cmake gen: cold, speck/(a)", true],
      ["cmake gen: fresh runner + registry cache vs (a) cold", true],
    ]);
    const slow = cmakeReport(runs((tool) => (tool === "speck" ? [13000] : [12000])));
    expect(slow.targets.every((t) => !t.met)).toBe(true);
  });
});
