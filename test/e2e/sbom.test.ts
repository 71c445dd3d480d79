// Issue 14, end to end: `--sbom=true` gets speck's own SPDX 2.3 document, per
// platform, with no scanner image (these daemons reach no registry, so a build
// that pulled docker/buildkit-syft-scanner would fail), byte-identical across
// clean builds, readable through a loopback registry with imagetools.

import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, inject, it, onTestFinished } from "vitest";
import { spdxProblems } from "../../frontend/sbom/testing/spdx-rules.js";
import { describeDaemons, docker, fixture, type Daemon } from "./helpers.js";
import { readOciArchive, type OciArchive, type Statement } from "./oci-attestations.js";
import { startRegistry } from "./registry.js";
import { addToProxy, debianPackage } from "./go-proxy.js";
import { ALPINE_IMAGE } from "./alpine.js";
import { cleanupImage, exampleCopy, REPO, speckBuild, SYNTAX, tagFor } from "./speck.js";
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
async function buildWithSbom(
  daemon: Daemon,
  dir: string,
  extra: { provenance?: string; baseImage?: string; toolchain?: string; platform?: string; buildContexts?: Record<string, string> } = {},
): Promise<Built> {
  const out = await mkdtemp(join(tmpdir(), "speck-sbom-"));
  try {
    const res = await speckBuild(daemon, {
      dir,
      noCache: true,
      buildArgs: { SOURCE_DATE_EPOCH: EPOCH },
      outputs: [`type=oci,dest=${join(out, "i.tar")}`],
      extraArgs: ["--sbom=true", ...(extra.provenance ? [`--provenance=${extra.provenance}`] : [])],
      // The default path instead of a prepared toolchain: this image as alpine:3.22, then `apk add`.
      ...(extra.platform ? { platform: extra.platform } : {}),
      ...(extra.baseImage ? { withoutToolchain: true } : {}),
      buildContexts: {
        ...(extra.baseImage ? { "alpine:3.22": `docker-image://${extra.baseImage}` } : {}),
        ...(extra.toolchain ? { toolchain: `docker-image://${extra.toolchain}` } : {}),
        ...extra.buildContexts,
      },
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

  it("apk add on the Alpine stand-in: the target root's own apk database is read, and what is linked comes from it", async () => {
    // The stand-in's apk is the real one, so the target root (/x86_64-alpine-linux-musl) has a real database.
    const archive = await buildWithSbom(daemon, await exampleCopy("crc32"), { baseImage: ALPINE_IMAGE });
    const { doc } = sbomOf(archive.images[0]?.statements ?? []);
    expect(spdxProblems(doc)).toEqual([]);
    expect(doc.packages.find((p) => p.SPDXID === "SPDXRef-BuildEnvironment")?.name).toContain(ALPINE_IMAGE);
    // An Alpine root has no dpkg database: nothing may be attributed to one.
    expect(doc.packages.filter((p) => p.SPDXID.startsWith("SPDXRef-Package-dpkg-"))).toEqual([]);
    expect(linkedNames(doc)).toEqual(expect.arrayContaining(["musl-dev", "zlib-static"]));
    for (const p of linkedPackages(doc)) expect(p.SPDXID).toMatch(/^SPDXRef-Package-apk-in-x86-64-alpine-linux-musl-/);
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

// Go: the modules, the standard library and the Go version come from the binary's build info.
/** The Go of the test toolchains, asked of the toolchain itself. */
const goVersion = async (daemon: Daemon): Promise<string> => (await docker(daemon, ["run", "--rm", "--network=none", "local/speck-toolchain:go", "go", "env", "GOVERSION"])).stdout.trim();
const programOf = (doc: Doc): Pkg | undefined => doc.packages.find((p) => p.SPDXID === doc.relationships.find((r) => r.relationshipType === "DESCRIBES")?.relatedSpdxElement);
const fileSha = (doc: Doc, name: string): string | undefined => doc.files.find((f) => f.fileName === name)?.checksums.find((c) => c.algorithm === "SHA256")?.checksumValue;

describeDaemons("sbom of Go builds", (daemon) => {
  it("go-hello for amd64 and arm64: the binary, its sources, the toolchain and the standard library, per platform", async () => {
    const dir = await exampleCopy("go-hello");
    const built = await buildWithSbom(daemon, dir, { baseImage: ALPINE_IMAGE, platform: "linux/amd64,linux/arm64" });
    const want = await goVersion(daemon);
    expect(built.log).not.toMatch(/generating sbom using/);
    expect(built.images.map((i) => i.platform).sort()).toEqual(["linux/amd64", "linux/arm64"]);
    const byPlatform: Record<string, Doc> = {};
    for (const image of built.images) {
      const { doc } = sbomOf(image.statements);
      byPlatform[image.platform] = doc;
      expect(spdxProblems(doc), image.platform).toEqual([]);
      expect((doc as unknown as { name: string }).name).toBe(`go-hello ${image.platform}`);
      const binary = image.files.get("go-hello");
      if (!binary) throw new Error(`${image.platform}: the image has no /go-hello`);
      expect(programOf(doc)?.checksums).toContainEqual({ algorithm: "SHA256", checksumValue: sha256(binary) });
      expect(doc.files.map((f) => f.fileName).sort()).toEqual(["./go.mod", "./main.go"]);
      for (const f of ["go.mod", "main.go"]) expect(fileSha(doc, `./${f}`), f).toBe(sha256(await readFile(join(REPO, "examples/go-hello", f))));
      expect(doc.packages.find((p) => p.SPDXID === "SPDXRef-GoToolchain")?.versionInfo).toBe(want);
      expect(doc.packages.find((p) => p.SPDXID === "SPDXRef-GoStdlib")?.versionInfo).toBe(want);
      // The standard library is all it links.
      expect(linkedNames(doc)).toEqual(["stdlib"]);
    }
    // `speck sbom` prints each platform's document, offline.
    expect(built.cli).toBe(`${JSON.stringify(byPlatform, null, 2)}\n`);
  });
});

// What the module check proves is speck's reading of the binary, not the daemon's: one daemon is enough.
describe("sbom of a Go build with a module", () => {
  const last = inject("daemons").at(-1);

  it.skipIf(!last)("a real third-party module: linked with its version and go.sum h1; two clean builds, the same bytes", async () => {
    const daemon = last as Daemon;
    // github.com/google/uuid from Debian trixie through a file proxy, as go.test.ts builds it.
    const deb = await debianPackage("golang-github-google-uuid-dev", "trixie");
    onTestFinished(() => rm(join(deb.root, ".."), { recursive: true, force: true }));
    const version = `v${deb.version.replace(/-[^-]*$/, "").replace(/^\d+:/, "")}`;
    const proxy = await fixture({});
    const uuid = await addToProxy(proxy, "github.com/google/uuid", version, join(deb.root, "usr/share/gocode/src/github.com/google/uuid"));
    const h1 = uuid.goSum.split("\n")[0]?.split(" ")[2] ?? "";
    expect(h1).toMatch(/^h1:/);
    const main = 'package main\n\nimport (\n\t"fmt"\n\n\t"github.com/google/uuid"\n)\n\nfunc main() { fmt.Println(uuid.NewString()) }\n';
    const dir = await fixture({
      "speck.yaml": `${SYNTAX}\nsources: [.]\n`,
      "go.mod": `module example.com/uuidsbom\n\ngo 1.22\n\nrequire github.com/google/uuid ${version}\n`,
      "go.sum": uuid.goSum,
      "main.go": main,
      "main_test.go": "package main\n",
    });
    const build = () => buildWithSbom(daemon, dir, { baseImage: ALPINE_IMAGE, buildContexts: { goproxy: proxy } });
    const first = await build();
    const [image] = first.images;
    if (!image) throw new Error("no image in the archive");
    const { doc, statement } = sbomOf(image.statements);
    expect(spdxProblems(doc)).toEqual([]);
    expect(first.cli).toBe(`${JSON.stringify(doc, null, 2)}\n`);
    const binary = image.files.get("uuidsbom");
    if (!binary) throw new Error("the image has no /uuidsbom");
    expect(programOf(doc)?.checksums).toContainEqual({ algorithm: "SHA256", checksumValue: sha256(binary) });
    // Tests are never compiled, so never listed; go.sum is.
    expect(doc.files.map((f) => f.fileName).sort()).toEqual(["./go.mod", "./go.sum", "./main.go"]);
    for (const f of ["go.mod", "go.sum", "main.go"]) expect(fileSha(doc, `./${f}`), f).toBe(sha256(await readFile(join(dir, f))));

    expect(linkedNames(doc)).toEqual(["github.com/google/uuid", "stdlib"]);
    const mod = doc.packages.find((p) => p.name === "github.com/google/uuid") as Pkg & { comment?: string; externalRefs?: { referenceLocator: string }[] };
    expect(mod.versionInfo).toBe(version);
    expect(mod.comment).toContain(h1);
    expect(mod.externalRefs?.map((r) => r.referenceLocator)).toEqual([`pkg:golang/github.com/google/uuid@${version}`]);
    const link = doc.relationships.find((r) => r.relatedSpdxElement === mod.SPDXID && r.relationshipType === "STATIC_LINK") as Rel & { comment?: string };
    expect(link.comment).toBe(`go.sum ${h1}`);
    expect(doc.packages.find((p) => p.SPDXID === "SPDXRef-GoStdlib")?.versionInfo).toBe(await goVersion(daemon));

    const second = await build();
    expect(sbomOf(second.images[0]?.statements ?? []).statement.layerDigest).toBe(statement.layerDigest);
    expect(second.indexDigest).toBe(first.indexDigest);
  });
});
