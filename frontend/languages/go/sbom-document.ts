// The Go part of the SPDX document: the toolchain that built the binary, the
// standard library and every module it links, from the binary's build info.
// Go links everything statically, so each is a STATIC_LINK of the program.
//
// A module's go.sum hash (`h1:` + base64 of a SHA-256 over the module's file
// list, golang.org/x/mod's dirhash.Hash1) is no SPDX checksum: clause 7.10's
// algorithms hash the package file itself, and SHA256 with a base64 value
// would be both wrong and invalid. It is written where a reader looks for it
// in words: the package's comment, and the STATIC_LINK's comment.

import { NOASSERTION, spdxId, type Relationship, type SpdxPackage } from "../../sbom/spdx.js";
import { compare } from "../../sbom/order.js";
import type { LanguageSbomPart, LanguageSbomParts } from "../../sbom/types.js";
import type { GoBuildInfo, GoModule } from "./buildinfo.js";

/** Go is BSD-3-Clause licensed, the toolchain and the standard library alike (go.dev/LICENSE). */
const GO_LICENSE = "BSD-3-Clause";

/** What a Go build's SBOM knows beyond the shared facts. */
export interface GoFacts {
  /** The binary's own build info: Go version, main package and module, the modules linked, the build settings. */
  readonly buildInfo: GoBuildInfo;
  /** cgo was on: C code and C libraries were linked too, which the build info does not list. */
  readonly cgo: boolean;
}

/** Why a Go document's sources are the files sent rather than exactly the files compiled. */
const GO_NOTE =
  "Go: the modules, the standard library and the Go version come from the binary's own build info. The sources listed are every .go file (tests excluded) the build context sent under `sources`; go build compiled those of them in packages the main package imports that match the target's build constraints, which speck does not narrow down (it would take running go list).";

/** The Go part of the SBOM, as the shared document places it. */
export function goSbomPart(go: GoFacts): LanguageSbomPart {
  return {
    note: GO_NOTE,
    ...(go.buildInfo.path !== undefined ? { sourceInfo: goSourceInfo(go.buildInfo) } : {}),
    parts: (program, environment, claim) => goParts(go, program, environment, claim),
  };
}

function goParts(go: GoFacts, program: string, environment: string, claim: (id: string, owner: string) => string): LanguageSbomParts {
  const info = go.buildInfo;
  const version = goVersionOf(info.goVersion);
  const toolchain = claim(spdxId("GoToolchain"), "the Go toolchain");
  const stdlib = claim(spdxId("GoStdlib"), "the Go standard library");
  const settings = info.settings.map((s) => `${s.key}=${s.value}`).join(" ");
  const toolchainComment = [
    `The Go toolchain that compiled and linked the program: ${info.goVersion}, as the binary's build info records it (runtime.Version).`,
    ...(settings !== "" ? [`Build settings from the build info: ${settings}.`] : []),
    ...(go.cgo ? ["cgo was on: the program's C code and the C libraries the external link took (the C library among them) are in the binary but not listed here, as a Go build writes no link map."] : []),
  ].join(" ");
  const packages: SpdxPackage[] = [
    goPackage("go", toolchain, version, toolchainComment, {}, "APPLICATION"),
    goPackage("stdlib", stdlib, version, `The Go standard library and runtime of ${version}, compiled from the toolchain's GOROOT and linked into the program.`, purlRef(/^go(\d[\w.-]*)$/.exec(version)?.[1], "stdlib"), "LIBRARY"),
  ];
  const relationships: Relationship[] = [
    { spdxElementId: toolchain, relationshipType: "BUILD_TOOL_OF", relatedSpdxElement: program },
    { spdxElementId: environment, relationshipType: "CONTAINS", relatedSpdxElement: toolchain },
    { spdxElementId: program, relationshipType: "STATIC_LINK", relatedSpdxElement: stdlib },
  ];
  for (const m of [...info.deps].sort((a, b) => compare(a.path, b.path) || compare(a.version, b.version))) {
    const id = claim(spdxId("GoModule", m.path, m.version), `Go module ${m.path} ${m.version}`);
    const used = m.replace ?? m;
    const released = used.version !== "" && used.version !== "(devel)";
    packages.push({
      name: m.path,
      SPDXID: id,
      ...(released ? { versionInfo: used.version } : {}),
      downloadLocation: NOASSERTION,
      filesAnalyzed: false,
      sourceInfo: `Go module ${m.path} ${m.version}${m.replace ? `, replaced by ${m.replace.path}${released ? ` ${m.replace.version}` : " (a directory)"}` : ""}, as the binary's build info records it`,
      licenseConcluded: NOASSERTION,
      licenseDeclared: NOASSERTION,
      copyrightText: NOASSERTION,
      comment: sumSentence(used),
      ...purlRef(released ? used.version : undefined, used.path),
      primaryPackagePurpose: "LIBRARY",
    });
    relationships.push({ spdxElementId: program, relationshipType: "STATIC_LINK", relatedSpdxElement: id, comment: used.sum ? `go.sum ${used.sum}` : "no go.sum hash recorded" });
  }
  return { packages, relationships };
}

/** The program's sourceInfo: which main package of which module it was built from. */
function goSourceInfo(info: GoBuildInfo): string {
  return `built from the Go main package ${info.path ?? "(unknown)"}${info.main !== undefined ? ` of the module ${info.main.path}` : ""}`;
}

/** The toolchain and the standard library: Go's own, under Go's license. */
function goPackage(name: string, id: string, version: string, comment: string, refs: Pick<SpdxPackage, "externalRefs">, purpose: "APPLICATION" | "LIBRARY"): SpdxPackage {
  return {
    name,
    SPDXID: id,
    versionInfo: version,
    downloadLocation: NOASSERTION,
    filesAnalyzed: false,
    licenseConcluded: NOASSERTION,
    licenseDeclared: GO_LICENSE,
    copyrightText: NOASSERTION,
    comment,
    ...refs,
    primaryPackagePurpose: purpose,
  };
}

/** The first word: `go1.24.4 X:boringcrypto` is Go 1.24.4 with an experiment on. */
function goVersionOf(runtimeVersion: string): string {
  return runtimeVersion.split(" ")[0] ?? runtimeVersion;
}

function sumSentence(m: GoModule): string {
  if (!m.sum) return "The build info records no go.sum hash for it (a vendored build, or a replacement by a directory).";
  return `go.sum hash ${m.sum}: Go's h1 (base64 SHA-256 over the module's file list, golang.org/x/mod dirhash Hash1), which the go command checked against go.sum; SPDX 2.3 has no checksum algorithm for it.`;
}

/** `pkg:golang/github.com/google/uuid@v1.6.0` (purl-spec's golang type: the module path as namespace and name). */
function purlRef(version: string | undefined, path: string): Pick<SpdxPackage, "externalRefs"> {
  if (version === undefined) return {};
  const locator = `pkg:golang/${path.split("/").map(encodeURIComponent).join("/")}@${encodeURIComponent(version)}`;
  return { externalRefs: [{ referenceCategory: "PACKAGE-MANAGER", referenceType: "purl", referenceLocator: locator }] };
}
