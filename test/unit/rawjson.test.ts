import { describe, expect, it } from "vitest";
import { compileRuns, jsonObjects } from "../e2e/rawjson.js";

const status = (vertexes: object[]): string => JSON.stringify({ vertexes });

describe("rawjson", () => {
  it("splits one-per-line and indented streams alike, braces inside strings included", () => {
    const a = { vertexes: [{ digest: "a", name: "x } {" }] };
    expect(jsonObjects(`${JSON.stringify(a)}\nnoise\n${JSON.stringify(a, null, 2)}\n`).map((t) => JSON.parse(t) as unknown)).toEqual([a, a]);
  });

  it("counts a vertex as run only when it completed, uncached and without an error", () => {
    const s = [
      status([{ digest: "1", name: "[compile linux/amd64 1/3] cc -c src/a.c" }]),
      status([{ digest: "1", started: "t", completed: "t" }]),
      status([{ digest: "2", name: "[compile linux/amd64 2/3] cc -c src/b.c", started: "t", completed: "t", cached: true }]),
      status([{ digest: "3", name: "[compile linux/amd64 3/3] cc -c src/c.c", started: "t", completed: "t", error: "context canceled: context canceled" }]),
      status([{ digest: "4", name: "[scan linux/amd64] cc -M (3 C sources)", started: "t", completed: "t" }]),
      status([{ digest: "5", name: "[link linux/amd64] cc -o /out/x (3 objects)", started: "t" }]),
    ].join("\n");
    expect(compileRuns(s)).toEqual({ units: ["src/a.c"], scan: 1, link: 0 });
  });
});
