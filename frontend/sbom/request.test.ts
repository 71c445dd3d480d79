import { describe, expect, it } from "vitest";
import { BuildOptions } from "../gateway/index.js";
import { sbomRequest } from "./request.js";

const opts = (o: Record<string, string>): BuildOptions => new BuildOptions(new Map(Object.entries(o)));

describe("sbomRequest", () => {
  it("writes the SBOM for --sbom=true (buildx sends attest:sbom=type=sbom) and its alias build-arg", () => {
    expect(sbomRequest(opts({ "attest:sbom": "type=sbom" }))).toEqual({ write: true });
    expect(sbomRequest(opts({ "attest:sbom": "" }))).toEqual({ write: true });
    expect(sbomRequest(opts({ "build-arg:BUILDKIT_ATTEST_SBOM": "true" }))).toEqual({ write: true });
  });

  it("leaves a named generator to the daemon, and does nothing when not asked or disabled", () => {
    expect(sbomRequest(opts({ "attest:sbom": "type=sbom,generator=docker/buildkit-syft-scanner" }))).toEqual({ write: false, why: "a generator was named" });
    expect(sbomRequest(opts({ "attest:sbom": "type=sbom,disabled=true" }))).toEqual({ write: false, why: "disabled" });
    expect(sbomRequest(opts({ "attest:provenance": "mode=max" }))).toEqual({ write: false, why: "not asked" });
  });
});
