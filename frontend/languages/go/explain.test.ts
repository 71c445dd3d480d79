import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { offlineBuild } from "../../offline.js";
import { explainPlan } from "../explain.js";
import { cLanguage } from "../c/index.js";
import { DEFAULT_NETWORK } from "../../pipeline/network.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A module whose `sources` lists `n` package directories, each with one file. */
function moduleWithPackages(n: number): string {
  const dir = mkdtempSync(join(tmpdir(), "speck-go-explain-"));
  dirs.push(dir);
  const pkgs = Array.from({ length: n }, (_, i) => `pkg${i}`);
  const files: Record<string, string> = {
    "go.mod": "module example.com/many\n\ngo 1.22\n",
    "main.go": "package main\n\nfunc main() {}\n",
    "speck.yaml": `sources: [., ${pkgs.join(", ")}]\n`,
  };
  for (const p of pkgs) files[`${p}/${p}.go`] = `package ${p}\n`;
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return join(dir, "speck.yaml");
}

const amd64 = { os: "linux", architecture: "amd64" };

describe("speck explain on a Go module", () => {
  it("with 8 or more package directories says nothing of -M scans or translation units (C's unit rules are not Go's)", () => {
    const build = offlineBuild(moduleWithPackages(9), { platform: amd64, buildPlatform: amd64 });
    expect(build.plan.sources.length).toBeGreaterThanOrEqual(8);
    const text = explainPlan(build.plan);
    expect(text).toContain("Go module example.com/many");
    expect(text).toContain("go build compiles the packages itself");
    expect(text).not.toMatch(/-M scan|cached steps|one per source|units?\b/);
    // Negative control: the same plan described with C's lines is what the defect printed.
    expect(cLanguage.explain(build.plan, DEFAULT_NETWORK).compile.join("\n")).toMatch(/run as 10 cached steps, one per source .* -M scan/);
  });
});
