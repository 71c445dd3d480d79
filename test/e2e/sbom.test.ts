// Issue 14, end to end: `--sbom=true` gets speck's own SPDX 2.3 document, per
// platform, with no scanner image (these daemons reach no registry, so a build
// that pulled docker/buildkit-syft-scanner would fail), byte-identical across
// clean builds, readable through a loopback registry with imagetools.

import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { spdxProblems } from "../../frontend/sbom/testing/spdx-rules.js";
import { describeDaemons, docker, fixture, type Daemon } from "./helpers.js";
import { readOciArchive, type OciArchive, type Statement } from "./oci-attestations.js";
import { startRegistry } from "./registry.js";
import { cleanupImage, exampleCopy, REPO, speckBuild, tagFor } from "./speck.js";
import { TOOLCHAIN_IMAGE } from "./helpers.js";
import { main } from "../../frontend/cli.js";

const SPDX = "https://spdx.dev/Document";
const EPOCH = "1700000000";

interface Pkg {
  readonly name: string;
  readonly SPDXID: string;
  readonly versionInfo?: string;
  readonly checksums?: { algorithm: string; checksumValue: string }[];
  readonly licenseDeclared?: string;
}
interface Rel {
  readonly spdxElementId: string;
  readonly relationshipType: string;
  readonly relatedSpdxElement: string;
}
interface Doc {
  readonly creationInfo: { readonly created: string };
  readonly packages: Pkg[];
  readonly files: { fileName: string; checksums: { algorithm: string; checksumValue: string }[] }[];
  readonly relationships: Rel[];
}

const sha256 = (b: Uint8Array): string => createHash("sha256").update(b).digest("hex");

interface Built extends OciArchive {
  /** The build's progress output. */
  readonly log: string;
  /** What `speck sbom <the archive>` printed. */
  readonly cli: string;
}

/** Builds an example into an OCI archive with --sbom=true and reads it back, also with the CLI. */
async function buildWithSbom(daemon: Daemon, dir: string, extra: { provenance?: string; baseImage?: string; toolchain?: string } = {}): Promise<Built> {
  const out = await mkdtemp(join(tmpdir(), "speck-sbom-"));
  try {
    const res = await speckBuild(daemon, {
      dir,
      noCache: true,
      buildArgs: { SOURCE_DATE_EPOCH: EPOCH },
      outputs: [`type=oci,dest=${join(out, "i.tar")}`],
      extraArgs: ["--sbom=true", ...(extra.provenance ? [`--provenance=${extra.provenance}`] : [])],
      // The default path instead of a prepared toolchain: this image as alpine:3.22, then `apk add`.
      ...(extra.baseImage ? { withoutToolchain: true, buildContexts: { "alpine:3.22": `docker-image://${extra.baseImage}` } } : {}),
      ...(extra.toolchain ? { buildContexts: { toolchain: `docker-image://${extra.toolchain}` } } : {}),
    });
    let cli = "";
    const code = await main(["sbom", join(out, "i.tar")], { out: (t) => (cli += String(t)), err: (t) => (cli += t) });
    expect(code, cli).toBe(0);
    return { ...(await readOciArchive(join(out, "i.tar"))), log: res.stderr, cli };
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

function sbomOf(statements: readonly Statement[]): { doc: Doc; statement: Statement } {
  const found = statements.filter((s) => s.predicateType === SPDX);
  expect(found, "exactly one SPDX statement").toHaveLength(1);
  const statement = found[0] as Statement;
  return { doc: statement.predicate as unknown as Doc, statement };
}

/** The package STATIC_LINKed by the program, by package name. */
function linkedNames(doc: Doc): string[] {
  return linkedPackages(doc).map((p) => p.name).sort();
}

/** The packages the described program links statically. */
function linkedPackages(doc: Doc): Doc["packages"] {
  const program = doc.relationships.find((r) => r.spdxElementId === "SPDXRef-DOCUMENT" && r.relationshipType === "DESCRIBES")?.relatedSpdxElement;
  const ids = doc.relationships.filter((r) => r.spdxElementId === program && r.relationshipType === "STATIC_LINK").map((r) => r.relatedSpdxElement);
  return doc.packages.filter((p) => ids.includes(p.SPDXID));
}

async function dpkgVersion(daemon: Daemon, image: string, pkg: string): Promise<string> {
  const { stdout } = await docker(daemon, ["run", "--rm", "--network=none", image, "dpkg-query", "-W", "-f=${Version}", pkg]);
  return stdout.trim();
}

describeDaemons("sbom", (daemon) => {
  it("crc32: the binary, every source, musl and zlib as linked; the same bytes on a second clean build", async () => {
    const dir = await exampleCopy("crc32");
    const first = await buildWithSbom(daemon, dir);
    const [image] = first.images;
    if (!image) throw new Error("no image in the archive");
    const { doc, statement } = sbomOf(image.statements);
    expect(spdxProblems(doc)).toEqual([]);
    // Its time is SOURCE_DATE_EPOCH's, not the clock's.
    expect(doc.creationInfo.created).toBe(new Date(Number(EPOCH) * 1000).toISOString().replace(".000Z", "Z"));
    // speck's document, not a scanner's: the build wrote it and ran no scanner image.
    expect(first.log).toMatch(/\[sbom linux\/amd64\] write the SBOM/);
    expect(first.log).not.toMatch(/generating sbom using/);
    // `speck sbom` reads the same document back from the archive, offline.
    expect(first.cli).toBe(`${JSON.stringify(doc, null, 2)}\n`);

    const binary = image.files.get("crc32");
    if (!binary) throw new Error("the image has no /crc32");
    const program = doc.packages.find((p) => p.name === "crc32");
    expect(program?.checksums).toContainEqual({ algorithm: "SHA256", checksumValue: sha256(binary) });

    const sources = (await readdir(join(REPO, "examples/crc32/src"))).filter((f) => f.endsWith(".c")).sort();
    expect(doc.files.map((f) => f.fileName).sort()).toEqual(sources.map((s) => `./src/${s}`));
    for (const s of sources) {
      const want = sha256(await readFile(join(REPO, "examples/crc32/src", s)));
      expect(doc.files.find((f) => f.fileName === `./src/${s}`)?.checksums).toContainEqual({ algorithm: "SHA256", checksumValue: want });
    }

    // musl and zlib as the toolchain's own package database records them (the target's, amd64, linked).
    const musl = linkedPackages(doc).find((p) => p.name === "musl-dev");
    expect(musl?.SPDXID).toBe("SPDXRef-Package-dpkg-musl-dev-amd64");
    expect(musl?.versionInfo).toBe(await dpkgVersion(daemon, TOOLCHAIN_IMAGE, "musl-dev:amd64"));
    expect(linkedNames(doc)).toEqual(expect.arrayContaining(["musl-dev", "zlib-musl-static"]));
    expect(doc.packages.find((p) => p.name === "zlib-musl-static")?.licenseDeclared).toBe("Zlib");
    // The compiler took part, but is not in the binary.
    expect(linkedNames(doc).filter((n) => /^gcc-\d+$/.test(n))).toEqual([]);

    const second = await buildWithSbom(daemon, dir);
    expect(sbomOf(second.images[0]?.statements ?? []).statement.layerDigest).toBe(statement.layerDigest);
    expect(second.indexDigest).toBe(first.indexDigest);
  });

  it("cpp: lists the C++ library as linked, alongside provenance mode=max", async () => {
    const dir = await exampleCopy("cpp");
    const archive = await buildWithSbom(daemon, dir, { provenance: "mode=max" });
    const statements = archive.images[0]?.statements ?? [];
    expect(statements.map((s) => s.predicateType).sort()).toEqual([SPDX, "https://slsa.dev/provenance/v0.2"].sort());
    const { doc } = sbomOf(statements);
    expect(spdxProblems(doc)).toEqual([]);
    // Debian's toolchain links C++ against glibc: libstdc++ and the C library of libc6-dev.
    expect(linkedNames(doc)).toEqual(expect.arrayContaining(["libc6-dev", expect.stringMatching(/^libgcc-\d+-dev$/), expect.stringMatching(/^libstdc\+\+-\d+-dev$/)]));
  });

  it("apk add on the Alpine test double: the database that is really there is read, none is invented", async () => {
    // local/speck-alpine-offline is Debian inside with a fake apk that records nothing.
    const archive = await buildWithSbom(daemon, await exampleCopy("crc32"), { baseImage: "local/speck-alpine-offline:3.22" });
    const { doc } = sbomOf(archive.images[0]?.statements ?? []);
    expect(spdxProblems(doc)).toEqual([]);
    expect(doc.packages.filter((p) => p.SPDXID.startsWith("SPDXRef-Package-apk-"))).toEqual([]);
    expect(doc.packages.find((p) => p.SPDXID === "SPDXRef-BuildEnvironment")?.name).toMatch(/speck-alpine-offline:3\.22$/);
    expect(linkedNames(doc)).toEqual(expect.arrayContaining(["musl-dev", "zlib-musl-static"]));
  });

  it("a toolchain without tar: the package database is read file by file, to the same document", async () => {
    // The fast path packs the database with tar in the toolchain; this one has none.
    const tc = await fixture({ Dockerfile: `FROM ${TOOLCHAIN_IMAGE}\nRUN ["rm", "/usr/bin/tar"]\n` });
    const tag = tagFor(daemon, "toolchain-without-tar");
    cleanupImage(daemon, tag);
    await docker(daemon, ["buildx", "build", "--provenance=false", "--load", "-t", tag, tc]);
    const dir = await exampleCopy("crc32");
    const [withTar, withoutTar] = [await buildWithSbom(daemon, dir), await buildWithSbom(daemon, dir, { toolchain: tag })];
    expect(withTar.log).toMatch(/pack the package database/);
    expect(withoutTar.log).not.toMatch(/pack the package database/);
    const a = sbomOf(withTar.images[0]?.statements ?? []).doc;
    const b = sbomOf(withoutTar.images[0]?.statements ?? []).doc;
    expect(spdxProblems(b)).toEqual([]);
    // Only the image differs (another digest); every package and relation is the same.
    const view = (d: Doc): unknown => [d.packages.filter((p) => p.SPDXID !== "SPDXRef-BuildEnvironment"), d.relationships, d.files];
    expect(view(b)).toEqual(view(a));
  });
});

describeDaemons("sbom through a registry", (daemon) => {
  it("imagetools inspect shows speck's document, per platform of a multi-platform push", async () => {
    const regDir = await mkdtemp(join(tmpdir(), "speck-reg-"));
    const registry = await startRegistry(regDir);
    try {
      const dir = await exampleCopy("hello");
      const ref = `${registry.address}/speck-e2e/hello:sbom-${daemon.name}`;
      await speckBuild(daemon, {
        dir,
        platform: "linux/amd64,linux/arm64",
        buildArgs: { SOURCE_DATE_EPOCH: EPOCH },
        outputs: [`type=image,name=${ref},push=true`],
        extraArgs: ["--sbom=true"],
      });
      const { stdout } = await docker(daemon, ["buildx", "imagetools", "inspect", "--format", "{{json .SBOM}}", ref]);
      const byPlatform = JSON.parse(stdout) as Record<string, { SPDX: Doc & { name: string } }>;
      expect(Object.keys(byPlatform).sort()).toEqual(["linux/amd64", "linux/arm64"]);
      for (const [platform, { SPDX: doc }] of Object.entries(byPlatform)) {
        expect(doc.name).toBe(`hello ${platform}`);
        expect(spdxProblems(doc)).toEqual([]);
        expect(linkedNames(doc)).toContain("musl-dev");
        // Each platform names its own packages: arm64's musl-dev is the arm64 build.
        expect(linkedPackages(doc).find((p) => p.name === "musl-dev")?.SPDXID).toBe(`SPDXRef-Package-dpkg-musl-dev-${platform.split("/")[1]}`);
      }
    } finally {
      await registry.stop();
      await rm(regDir, { recursive: true, force: true });
    }
  });
});
