import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { toJSON } from "../../../llb/index.js";
import { UserError } from "../../errors.js";
import { offlineBuild } from "../../offline.js";
import type { NetworkSettings } from "../../pipeline/network.js";

interface ExecJSON {
  platform?: { Architecture: string; OS: string };
  op: {
    meta: { args: string[]; env: string[]; cwd: string };
    network?: number;
    mounts: { input: number; output: number; dest: string; selector?: string; readonly?: boolean; mountType?: number }[];
  };
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function module(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "speck-go-"));
  dirs.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return join(dir, "speck.yaml");
}

const MAIN = "package main\n\nfunc main() {}\n";
const GO_MOD = "module example.com/tool/v2\n\ngo 1.22\n\nrequire github.com/google/uuid v1.6.0\n";
const GO_SUM = "github.com/google/uuid v1.6.0 h1:aaaa\ngithub.com/google/uuid v1.6.0/go.mod h1:bbbb\n";

function execs(file: string, platform = "linux/arm64", network?: NetworkSettings): ExecJSON[] {
  const [os = "", architecture = ""] = platform.split("/");
  const build = offlineBuild(file, { platform: { os, architecture }, buildPlatform: { os: "linux", architecture: "amd64" }, ...(network ? { network } : {}) });
  return toJSON(build.definition).filter((o) => o.kind === "exec") as unknown as ExecJSON[];
}

const byArgs = (ops: ExecJSON[], first: string, second: string): ExecJSON | undefined => ops.find((o) => o.op.meta.args[0] === first && o.op.meta.args[1] === second);

describe("Go LLB", () => {
  it("downloads modules seeing only go.mod and go.sum, with network, into a fresh module cache", () => {
    const ops = execs(module({ "speck.yaml": "sources: [.]\n", "go.mod": GO_MOD, "go.sum": GO_SUM, "main.go": MAIN }));
    const dl = byArgs(ops, "go", "mod");
    expect(dl?.op.meta.args).toEqual(["go", "mod", "download"]);
    // Network: the default sandbox (field unset), not none (2).
    expect(dl?.op.network ?? 0).toBe(0);
    expect(dl?.op.meta.env).toEqual(expect.arrayContaining(["GOFLAGS=-mod=readonly", "GOTOOLCHAIN=local", "GOMODCACHE=/go/pkg/mod"]));
    const ctxMounts = dl?.op.mounts.filter((m) => m.selector !== undefined) ?? [];
    // The cache key of the op is these two files: the context is mounted by selector, read-only, and nowhere else.
    expect(ctxMounts.map((m) => [m.selector, m.dest, m.readonly])).toEqual([["go.mod", "/src/go.mod", true], ["go.sum", "/src/go.sum", true]]);
    expect(dl?.op.mounts.filter((m) => m.input === ctxMounts[0]?.input)).toHaveLength(2);
    expect(dl?.op.mounts.find((m) => m.dest === "/go/pkg/mod")?.output).toBeGreaterThan(0);
    // The toolchain runs on the build platform for an arm64 target: nothing emulated.
    expect(dl?.platform).toEqual({ Architecture: "amd64", OS: "linux" });
  });

  it("gives the download op --network=host (NetMode HOST, the compile still NONE), and refuses --network=none naming the op and what to give instead", () => {
    const files = { "speck.yaml": "sources: [.]\n", "go.mod": GO_MOD, "go.sum": GO_SUM, "main.go": MAIN };
    const ops = execs(module(files), "linux/arm64", { mode: "host" });
    expect(byArgs(ops, "go", "mod")?.op.network).toBe(1);
    expect(byArgs(ops, "go", "build")?.op.network).toBe(2);
    expect(() => execs(module(files), "linux/arm64", { mode: "none" })).toThrow(
      /speck\.yaml:1:\d+: --network=none, but the module download op \(go mod download\) downloads the modules go\.sum names and needs a network \(give the modules without a network: vendor\/ .*goproxy=.*gomodcache=/,
    );
    // Vendored: nothing to download, so --network=none builds.
    const vendored = execs(module({ ...files, "vendor/modules.txt": "# github.com/google/uuid v1.6.0\n" }), "linux/arm64", { mode: "none" });
    expect(byArgs(vendored, "go", "mod")).toBeUndefined();
  });

  it("compiles offline for the target with GOARCH, on the build platform, the module cache read-only", () => {
    const ops = execs(module({ "speck.yaml": "sources: [.]\nprofile: tiny\n", "go.mod": GO_MOD, "go.sum": GO_SUM, "main.go": MAIN }));
    const build = byArgs(ops, "go", "build");
    expect(build?.platform).toEqual({ Architecture: "amd64", OS: "linux" });
    expect(build?.op.network).toBe(2);
    // Named after the module, without its major-version suffix, as go build names it.
    expect(build?.op.meta.args).toEqual(["go", "build", "-trimpath", "-buildvcs=false", "-ldflags=-s -w -buildid=", "-gcflags=all=-l", "-o", "/out/tool", "."]);
    expect(build?.op.meta.env).toEqual(expect.arrayContaining(["CGO_ENABLED=0", "GOOS=linux", "GOARCH=arm64", "GOPROXY=off", "GOFLAGS=-mod=readonly"]));
    expect(build?.op.mounts.find((m) => m.dest === "/go/pkg/mod")?.readonly).toBe(true);
    expect(build?.op.mounts.find((m) => m.dest === "/root/.cache/go-build")?.mountType).toBe(3);
  });

  it("uses vendor/ as is: no download op, -mod=vendor", () => {
    const ops = execs(module({ "speck.yaml": "sources: [.]\nmain: ./cmd/x\n", "go.mod": GO_MOD, "go.sum": GO_SUM, "cmd/x/main.go": MAIN, "vendor/modules.txt": "# github.com/google/uuid v1.6.0\n" }), "linux/amd64");
    expect(byArgs(ops, "go", "mod")).toBeUndefined();
    const build = byArgs(ops, "go", "build");
    expect(build?.op.meta.env).toContain("GOFLAGS=-mod=vendor");
    expect(build?.op.meta.args.slice(-3)).toEqual(["-o", "/out/x", "./cmd/x"]);
  });

  it("downloads nothing for a module that requires nothing", () => {
    const ops = execs(module({ "speck.yaml": "sources: [.]\nname: hi\n", "go.mod": "module hi\n\ngo 1.22\n", "main.go": MAIN }));
    expect(byArgs(ops, "go", "mod")).toBeUndefined();
    expect(byArgs(ops, "go", "build")?.op.mounts.some((m) => m.dest === "/go/pkg/mod")).toBe(false);
  });

  it("refuses, with a location, a missing go.mod, a main that is not package main, and requirements without go.sum", () => {
    const problem = (file: string): string => {
      try {
        execs(file);
      } catch (e) {
        if (!(e instanceof UserError)) throw e;
        return e.problems.map((p) => `${e.file?.name.replace(/^.*\//, "")}:${p.span?.start.line}:${p.span?.start.column}: ${p.message}`).join("\n");
      }
      return "no error";
    };
    expect(problem(module({ "speck.yaml": "sources: [.]\n", "main.go": MAIN }))).toBe("speck.yaml:1:10: no go.mod at the top of the build context: a Go build starts from its module");
    expect(problem(module({ "speck.yaml": "sources: [.]\nmain: ./lib\n", "go.mod": "module m\n", "lib/lib.go": "// Package lib.\npackage lib\n" }))).toBe("speck.yaml:2:7: `./lib` is package `lib` (lib/lib.go), not a main package");
    expect(problem(module({ "speck.yaml": "sources: [.]\n", "go.mod": GO_MOD, "main.go": MAIN }))).toBe("go.mod:5:9: go.mod requires a module but there is no go.sum beside it");
  });
});
