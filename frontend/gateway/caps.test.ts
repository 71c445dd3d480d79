import { describe, expect, it } from "vitest";
import type { APICap } from "../../proto/gateway.js";
import { CapabilityError, CapSet, minimumVersion } from "./caps.js";

const cap = (ID: string, Enabled = true, extra: Partial<APICap> = {}): APICap => ({
  ID, Enabled, Deprecated: false, DisabledReason: "", DisabledReasonMsg: "", DisabledAlternative: "", ...extra,
});

describe("CapSet", () => {
  it("a cap is supported only when present and enabled", () => {
    const s = new CapSet("llb", [cap("file.base"), cap("mergeop", false, { DisabledReasonMsg: "only enabled with containerd image store backend" })]);
    expect(s.supports("file.base")).toBe(true);
    expect(s.supports("mergeop")).toBe(false);
    expect(s.supports("diffop")).toBe(false);
    expect(() => s.require("mergeop", "merging layers")).toThrow(
      'merging layers needs the LLB capability "mergeop", which this daemon has disabled (only enabled with containerd image store backend)',
    );
  });

  it("names the cap and the minimum BuildKit and Docker versions when missing", () => {
    const s = new CapSet("llb", [cap("file.base")]);
    let err: unknown;
    try {
      s.require("file.symlink.create", "creating symlinks");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CapabilityError);
    expect((err as CapabilityError).capId).toBe("file.symlink.create");
    expect((err as Error).message).toBe(
      'creating symlinks needs the LLB capability "file.symlink.create", which this daemon does not have: it needs BuildKit v0.19 or later (Docker Engine 28.0 or later)',
    );
    expect(minimumVersion("exec.validexitcode")).toBe("BuildKit v0.17 or later (Docker Engine 27.4 or later)");
    expect(minimumVersion("file.base")).toBeUndefined();
  });

  it("an empty Ping list means the frozen Go defaults", () => {
    const g = new CapSet("gateway", []);
    expect(g.supports("readfile")).toBe(true);
    expect(g.supports("solve.base")).toBe(true);
    expect(g.supports("gateway.warnings")).toBe(false);
    const l = new CapSet("llb", []);
    expect(l.supports("source.local.followpaths")).toBe(true);
    expect(l.supports("file.base")).toBe(false);
    // A reported list replaces the defaults entirely.
    expect(new CapSet("gateway", [cap("return")]).supports("readfile")).toBe(false);
  });
});
