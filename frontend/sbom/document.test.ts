import { describe, expect, it } from "vitest";
import { buildSpdxDocument, serializeSpdx } from "./document.js";
import { parseLinkMap } from "./link-map.js";
import { attributeLink } from "./linked.js";
import { readPackageDb, type PackageDb } from "./package-db.js";
import { PathResolver } from "./root-fs.js";
import { APK_INSTALLED_TEXT, DEP5_COPYRIGHT, DPKG_STATUS_TEXT, GNU_LINK_MAP, memoryFs } from "./testing/fixtures.js";
import { spdxProblems } from "./testing/spdx-rules.js";
import type { InstalledPackage, SbomInput } from "./types.js";

const hex = (c: string, n: number): string => c.repeat(n);

async function debianInput(): Promise<SbomInput> {
  const fs = memoryFs({
    "/etc/os-release": "ID=debian\nVERSION_ID=\"12\"\n",
    "/var/lib/dpkg/status": DPKG_STATUS_TEXT,
    "/usr/share/doc/musl-dev/copyright": DEP5_COPYRIGHT,
    "/var/lib/dpkg/info/musl-dev:amd64.list": "/usr/lib/x86_64-linux-musl/libc.a\n/usr/lib/x86_64-linux-musl/Scrt1.o\n/usr/lib/x86_64-linux-musl/crti.o\n/usr/lib/x86_64-linux-musl/crtn.o\n",
    "/var/lib/dpkg/info/libgcc-12-dev:amd64.list": "/usr/lib/gcc/x86_64-linux-gnu/12/crtbeginS.o\n/usr/lib/gcc/x86_64-linux-gnu/12/crtendS.o\n",
    "/var/lib/dpkg/info/zlib-musl-static.list": "/usr/lib/x86_64-linux-musl/libz.a\n",
  }, { "/lib": "usr/lib" });
  const db = (await readPackageDb(fs, "/")) as PackageDb;
  const { linked } = await attributeLink(parseLinkMap(GNU_LINK_MAP), [db], new PathResolver(fs));
  return {
    name: "crc32",
    platform: "linux/amd64",
    created: 1_700_000_000,
    tool: "speck-0.1.0",
    artifact: { path: "/crc32", size: 42_560, digests: { sha1: hex("a", 40), sha256: hex("b", 64) }, description: "crc32: 42,560 B, static, profile size" },
    inputs: [
      { role: "source", path: "src/main.c", digests: { sha1: hex("1", 40), sha256: hex("2", 64) } },
      { role: "source", path: "src/sum.c", digests: { sha1: hex("3", 40), sha256: hex("4", 64) } },
      { role: "image-file", path: "/etc/crc32.conf", digests: { sha1: hex("5", 40), sha256: hex("6", 64) } },
    ],
    environment: { image: "docker.io/local/speck-toolchain:c", digest: `sha256:${hex("c", 64)}` },
    packages: db.packages,
    linked,
    unclaimed: [],
  };
}

function json(input: SbomInput): Record<string, unknown> {
  return JSON.parse(new TextDecoder().decode(serializeSpdx(buildSpdxDocument(input)))) as Record<string, unknown>;
}

type Rel = { spdxElementId: string; relationshipType: string; relatedSpdxElement: string; comment?: string };

describe("SPDX document", () => {
  it("meets SPDX 2.3 and says what was linked, what only built it, and what it was built from", async () => {
    const doc = json(await debianInput());
    expect(spdxProblems(doc)).toEqual([]);
    const rels = doc["relationships"] as Rel[];
    const has = (a: string, t: string, b: string): boolean => rels.some((r) => r.spdxElementId === a && r.relationshipType === t && r.relatedSpdxElement === b);
    expect(has("SPDXRef-DOCUMENT", "DESCRIBES", "SPDXRef-Program-crc32")).toBe(true);
    expect(has("SPDXRef-Program-crc32", "STATIC_LINK", "SPDXRef-Package-dpkg-musl-dev-amd64")).toBe(true);
    expect(has("SPDXRef-Program-crc32", "STATIC_LINK", "SPDXRef-Package-dpkg-zlib-musl-static-amd64")).toBe(true);
    expect(has("SPDXRef-Program-crc32", "STATIC_LINK", "SPDXRef-Package-dpkg-libgcc-12-dev-amd64")).toBe(true);
    expect(has("SPDXRef-Package-dpkg-gcc-12-amd64", "BUILD_TOOL_OF", "SPDXRef-Program-crc32")).toBe(true);
    expect(has("SPDXRef-Program-crc32", "GENERATED_FROM", "SPDXRef-Source-src-main.c")).toBe(true);
    expect(has("SPDXRef-ImageFile-etc-crc32.conf", "DATA_FILE_OF", "SPDXRef-Program-crc32")).toBe(true);
    expect(has("SPDXRef-BuildEnvironment", "BUILD_TOOL_OF", "SPDXRef-Program-crc32")).toBe(true);
    // Every package is either linked or a build tool, never both.
    const pkgs = (doc["packages"] as { SPDXID: string }[]).map((p) => p.SPDXID).filter((id) => id.startsWith("SPDXRef-Package-"));
    for (const id of pkgs) expect([has("SPDXRef-Program-crc32", "STATIC_LINK", id), has(id, "BUILD_TOOL_OF", "SPDXRef-Program-crc32")].filter(Boolean)).toHaveLength(1);
    const musl = (doc["packages"] as Record<string, unknown>[]).find((p) => p["name"] === "musl-dev");
    expect(musl).toMatchObject({
      versionInfo: "1.2.3-1",
      supplier: "Person: A Maintainer (maint@example.org)",
      externalRefs: [{ referenceCategory: "PACKAGE-MANAGER", referenceType: "purl", referenceLocator: "pkg:deb/debian/musl-dev@1.2.3-1?arch=amd64&distro=debian-12&upstream=musl" }],
    });
    const zlib = (doc["packages"] as Record<string, unknown>[]).find((p) => p["name"] === "zlib-musl-static");
    expect((zlib?.["externalRefs"] as { referenceLocator: string }[])[0]?.referenceLocator).toBe("pkg:deb/debian/zlib-musl-static@1%3A1.2.13.dfsg?arch=amd64&distro=debian-12&upstream=zlib");
    expect((doc["creationInfo"] as { created: string }).created).toBe("2023-11-14T22:13:20Z");
  });

  it("the same inputs in any order give the same bytes; a changed source gives another namespace", async () => {
    const input = await debianInput();
    const a = serializeSpdx(buildSpdxDocument(input));
    const shuffled: SbomInput = { ...input, inputs: [...input.inputs].reverse(), packages: [...input.packages].reverse(), linked: [...input.linked].reverse() };
    expect(Buffer.from(serializeSpdx(buildSpdxDocument(shuffled))).equals(Buffer.from(a))).toBe(true);
    const text = new TextDecoder().decode(a);
    expect(text.startsWith('{\n  "spdxVersion": "SPDX-2.3",\n  "dataLicense": "CC0-1.0",\n  "SPDXID": "SPDXRef-DOCUMENT",')).toBe(true);
    expect(text.endsWith("}\n")).toBe(true);
    const edited: SbomInput = { ...input, inputs: input.inputs.map((f, i) => (i === 0 ? { ...f, digests: { sha1: hex("9", 40), sha256: hex("8", 64) } } : f)) };
    expect(buildSpdxDocument(edited).documentNamespace).not.toBe(buildSpdxDocument(input).documentNamespace);
  });

  it("Alpine packages and a sysroot's packages get their own ids and purls, and stay valid", async () => {
    const fs = memoryFs({ "/etc/os-release": "ID=alpine\nVERSION_ID=3.22.0\n", "/lib/apk/db/installed": APK_INSTALLED_TEXT, "/aarch64-linux-musl/lib/apk/db/installed": APK_INSTALLED_TEXT });
    const host = (await readPackageDb(fs, "/")) as PackageDb;
    const target = (await readPackageDb(fs, "/aarch64-linux-musl")) as PackageDb;
    const musl = target.packages.find((p) => p.name === "musl-dev") as InstalledPackage;
    const input: SbomInput = { ...(await debianInput()), packages: [...host.packages, ...target.packages], linked: [{ package: musl, files: ["/aarch64-linux-musl/usr/lib/libc.a (3 members)"] }] };
    const doc = json(input);
    expect(spdxProblems(doc)).toEqual([]);
    const rels = doc["relationships"] as Rel[];
    expect(rels.filter((r) => r.relationshipType === "STATIC_LINK").map((r) => r.relatedSpdxElement)).toEqual(["SPDXRef-Package-apk-in-aarch64-linux-musl-musl-dev-x86-64"]);
    const purls = (doc["packages"] as { externalRefs?: { referenceLocator: string }[] }[]).flatMap((p) => p.externalRefs ?? []).map((r) => r.referenceLocator);
    expect(purls).toContain("pkg:apk/alpine/musl-dev@1.2.5-r10?arch=x86_64&distro=alpine-3.22.0&upstream=musl");
  });

  it("a linked file no package database lists is still in the document, as a statically linked file", async () => {
    const input: SbomInput = { ...(await debianInput()), unclaimed: [{ path: "/usr/local/lib/libhand.a", description: "/usr/local/lib/libhand.a (2 members)", digests: { sha1: hex("d", 40), sha256: hex("e", 64) } }] };
    const doc = json(input);
    expect(spdxProblems(doc)).toEqual([]);
    const file = (doc["files"] as { SPDXID: string; fileName: string; comment: string }[]).find((f) => f.fileName === "./usr/local/lib/libhand.a");
    expect(file?.comment).toMatch(/no package database of the build environment lists it/);
    expect((doc["relationships"] as Rel[]).some((r) => r.relationshipType === "STATIC_LINK" && r.relatedSpdxElement === file?.SPDXID)).toBe(true);
  });

  it("refuses two inputs that would share an SPDX id, and a linked package the environment lacks", async () => {
    const input = await debianInput();
    const twice: SbomInput = { ...input, inputs: [...input.inputs, { role: "source", path: "src_main.c", digests: { sha1: hex("1", 40), sha256: hex("2", 64) } }] };
    expect(() => buildSpdxDocument(twice)).toThrow(/SPDX id SPDXRef-Source-src-main.c would name both/);
    const stranger = { ...input.packages[0], name: "not-installed" } as InstalledPackage;
    expect(() => buildSpdxDocument({ ...input, linked: [{ package: stranger, files: ["/x.a (1 member)"] }] })).toThrow(/not among the build environment's packages/);
  });
});

describe("the SPDX 2.3 rule check itself", () => {
  it("catches each kind of broken document", async () => {
    const good = json(await debianInput());
    const broken = (edit: (d: Record<string, any>) => void): string[] => {
      const d = structuredClone(good) as Record<string, any>;
      edit(d);
      return spdxProblems(d);
    };
    expect(broken((d) => (d["spdxVersion"] = "SPDX-2.2"))).toEqual(["spdxVersion must be SPDX-2.3 (6.1)"]);
    expect(broken((d) => (d["documentNamespace"] = "speck#1"))).toHaveLength(1);
    expect(broken((d) => (d["creationInfo"].created = "1970-01-01"))).toHaveLength(1);
    expect(broken((d) => (d["packages"][0].SPDXID = "SPDXRef-a_b"))).not.toEqual([]);
    expect(broken((d) => (d["packages"][2].licenseDeclared = "MIT-ish"))).toEqual([expect.stringMatching(/is not an SPDX license expression/)]);
    expect(broken((d) => (d["packages"][2].licenseDeclared = "LicenseRef-unknown"))).toEqual([expect.stringMatching(/has no hasExtractedLicensingInfos entry/)]);
    expect(broken((d) => (d["files"][0].checksums = d["files"][0].checksums.slice(1)))).toEqual([expect.stringMatching(/needs a SHA1/)]);
    expect(broken((d) => (d["files"][0].checksums[1].checksumValue = "ABC"))).toHaveLength(1);
    expect(broken((d) => (d["relationships"][0].relationshipType = "LINKS_TO"))).toEqual([expect.stringMatching(/not an SPDX 2.3 relationship type/)]);
    expect(broken((d) => (d["relationships"] = d["relationships"].filter((r: Rel) => r.relationshipType !== "DESCRIBES")))).toEqual([expect.stringMatching(/DESCRIBE/)]);
    expect(broken((d) => (d["packages"][0].supplier = "Someone"))).toHaveLength(1);
  });
});
