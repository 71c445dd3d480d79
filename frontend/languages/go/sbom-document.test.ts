import { describe, expect, it } from "vitest";
import { buildSpdxDocument, serializeSpdx } from "../../sbom/document.js";
import { spdxProblems } from "../../sbom/testing/spdx-rules.js";
import type { SbomInput } from "../../sbom/types.js";
import type { GoBuildInfo } from "./buildinfo.js";
import { goSbomPart, type GoFacts } from "./sbom-document.js";

const hex = (c: string, n: number): string => c.repeat(n);
const digests = (a: string, b: string) => ({ sha1: hex(a, 40), sha256: hex(b, 64) });

function goFacts(buildInfo: Partial<GoBuildInfo> = {}, cgo = false): GoFacts {
  return {
    buildInfo: {
      goVersion: "go1.24.4",
      path: "example.com/uuidgen",
      main: { path: "example.com/uuidgen", version: "(devel)" },
      deps: [
        { path: "golang.org/x/text", version: "v0.3.0", sum: "h1:old=", replace: { path: "golang.org/x/text", version: "v0.14.0+incompatible", sum: "h1:new=" } },
        { path: "github.com/google/uuid", version: "v1.6.0", sum: "h1:NIvaJDMOsjHA8n1jAhLSgzrAzy1Hgr+hNrb57e+94F0=" },
        { path: "example.com/local", version: "v0.0.0", replace: { path: "../local", version: "" } },
      ],
      settings: [{ key: "-ldflags", value: "-s -w" }, { key: "GOARCH", value: "arm64" }],
      ...buildInfo,
    },
    cgo,
  };
}

function goInput(buildInfo: Partial<GoBuildInfo> = {}, cgo = false): SbomInput {
  return {
    name: "uuidgen",
    platform: "linux/arm64",
    created: 1_700_000_000,
    tool: "speck-0.1.0",
    artifact: { path: "/uuidgen", size: 1_400_000, digests: digests("a", "b"), description: "uuidgen: 1,400,000 B, static, profile size" },
    inputs: [
      { role: "source", path: "main.go", digests: digests("1", "2"), note: "a Go file" },
      { role: "module-file", path: "go.mod", digests: digests("3", "4") },
      { role: "module-file", path: "go.sum", digests: digests("5", "6") },
    ],
    environment: { image: "docker.io/library/alpine", digest: `sha256:${hex("c", 64)}` },
    packages: [],
    linked: [],
    unclaimed: [],
    language: goSbomPart(goFacts(buildInfo, cgo)),
  };
}

type Pkg = { name: string; SPDXID: string; versionInfo?: string; comment?: string; sourceInfo?: string; externalRefs?: { referenceLocator: string }[] };
type Rel = { spdxElementId: string; relationshipType: string; relatedSpdxElement: string; comment?: string };

function json(input: SbomInput): { packages: Pkg[]; relationships: Rel[]; creationInfo: { comment: string } } {
  return JSON.parse(new TextDecoder().decode(serializeSpdx(buildSpdxDocument(input)))) as never;
}

describe("the Go part of the SPDX document", () => {
  it("meets SPDX 2.3; toolchain, stdlib and each module with its version, purl and h1, statically linked", () => {
    const doc = json(goInput());
    expect(spdxProblems(doc)).toEqual([]);
    const rel = (a: string, t: string, b: string): Rel | undefined => doc.relationships.find((r) => r.spdxElementId === a && r.relationshipType === t && r.relatedSpdxElement === b);
    const program = "SPDXRef-Program-uuidgen";
    const pkg = (id: string): Pkg | undefined => doc.packages.find((p) => p.SPDXID === id);

    expect(pkg("SPDXRef-GoToolchain")).toMatchObject({ name: "go", versionInfo: "go1.24.4" });
    expect(pkg("SPDXRef-GoToolchain")?.comment).toContain("-ldflags=-s -w GOARCH=arm64");
    expect(rel("SPDXRef-GoToolchain", "BUILD_TOOL_OF", program)).toBeDefined();
    expect(pkg("SPDXRef-GoStdlib")).toMatchObject({ name: "stdlib", versionInfo: "go1.24.4", externalRefs: [{ referenceLocator: "pkg:golang/stdlib@1.24.4" }] });
    expect(rel(program, "STATIC_LINK", "SPDXRef-GoStdlib")).toBeDefined();

    const uuid = pkg("SPDXRef-GoModule-github.com-google-uuid-v1.6.0");
    expect(uuid).toMatchObject({ name: "github.com/google/uuid", versionInfo: "v1.6.0", externalRefs: [{ referenceLocator: "pkg:golang/github.com/google/uuid@v1.6.0" }] });
    expect(uuid?.comment).toContain("h1:NIvaJDMOsjHA8n1jAhLSgzrAzy1Hgr+hNrb57e+94F0=");
    expect(rel(program, "STATIC_LINK", "SPDXRef-GoModule-github.com-google-uuid-v1.6.0")?.comment).toBe("go.sum h1:NIvaJDMOsjHA8n1jAhLSgzrAzy1Hgr+hNrb57e+94F0=");

    // A replaced module: what was compiled is the replacement; a directory has no version and no purl.
    const text = pkg("SPDXRef-GoModule-golang.org-x-text-v0.3.0");
    expect(text).toMatchObject({ versionInfo: "v0.14.0+incompatible", externalRefs: [{ referenceLocator: "pkg:golang/golang.org/x/text@v0.14.0%2Bincompatible" }] });
    expect(text?.comment).toContain("h1:new=");
    const local = pkg("SPDXRef-GoModule-example.com-local-v0.0.0");
    expect(local?.versionInfo).toBeUndefined();
    expect(local?.externalRefs).toBeUndefined();
    expect(local?.sourceInfo).toContain("replaced by ../local (a directory)");

    expect(rel("SPDXRef-ModuleFile-go.sum", "DEPENDENCY_MANIFEST_OF", program)).toBeDefined();
    expect(rel(program, "GENERATED_FROM", "SPDXRef-Source-main.go")).toBeDefined();
    expect(pkg(program)?.sourceInfo).toBe("built from the Go main package example.com/uuidgen of the module example.com/uuidgen");
    expect(doc.creationInfo.comment).toContain("does not narrow down");
  });

  it("is the same bytes for the same facts, whatever order the modules came in", () => {
    const a = serializeSpdx(buildSpdxDocument(goInput()));
    const deps = [...goFacts().buildInfo.deps].reverse();
    expect(serializeSpdx(buildSpdxDocument(goInput({ deps })))).toEqual(a);
  });

  it("says what cgo links that it cannot list", () => {
    expect(json(goInput({}, true)).packages.find((p) => p.name === "go")?.comment).toContain("cgo was on");
  });
});
