import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readAttestedSboms } from "./read-archive.js";

/** An OCI layout directory shaped like BuildKit's output: index.json -> image index -> image + attestation manifest. */
function layout(docs: Record<string, object>): string {
  const dir = mkdtempSync(join(tmpdir(), "speck-layout-"));
  mkdirSync(join(dir, "blobs/sha256"), { recursive: true });
  const put = (value: object): string => {
    const text = JSON.stringify(value);
    const digest = `sha256:${createHash("sha256").update(text).digest("hex")}`;
    writeFileSync(join(dir, "blobs/sha256", digest.slice(7)), text);
    return digest;
  };
  const manifests: object[] = [];
  for (const [platform, doc] of Object.entries(docs)) {
    const [os, architecture] = platform.split("/");
    const image = put({ schemaVersion: 2, layers: [], annotations: { platform } });
    const statement = put({ _type: "https://in-toto.io/Statement/v0.1", predicateType: "https://spdx.dev/Document", subject: [], predicate: doc });
    const provenance = put({ predicateType: "https://slsa.dev/provenance/v0.2", predicate: {} });
    const att = put({
      schemaVersion: 2,
      layers: [
        { digest: provenance, annotations: { "in-toto.io/predicate-type": "https://slsa.dev/provenance/v0.2" } },
        { digest: statement, annotations: { "in-toto.io/predicate-type": "https://spdx.dev/Document" } },
      ],
    });
    manifests.push({ digest: image, platform: { os, architecture } });
    manifests.push({ digest: att, platform: { os: "unknown", architecture: "unknown" }, annotations: { "vnd.docker.reference.type": "attestation-manifest", "vnd.docker.reference.digest": image } });
  }
  const index = put({ schemaVersion: 2, manifests });
  writeFileSync(join(dir, "index.json"), JSON.stringify({ schemaVersion: 2, manifests: [{ digest: index }] }));
  return dir;
}

describe("readAttestedSboms", () => {
  it("finds each platform's SPDX statement in an OCI layout, skipping other predicates", () => {
    const docs = readAttestedSboms(layout({ "linux/amd64": { name: "a" }, "linux/arm64": { name: "b" } }));
    expect(Object.fromEntries(docs)).toEqual({ "linux/amd64": { name: "a" }, "linux/arm64": { name: "b" } });
  });

  it("reads the local exporter's sbom.spdx.json", () => {
    const dir = mkdtempSync(join(tmpdir(), "speck-local-"));
    writeFileSync(join(dir, "sbom.spdx.json"), JSON.stringify({ predicateType: "https://spdx.dev/Document", predicate: { name: "c" } }));
    expect(Object.fromEntries(readAttestedSboms(dir))).toEqual({ "": { name: "c" } });
  });

  it("says what is missing", () => {
    expect(() => readAttestedSboms(join(tmpdir(), "speck-no-such-path"))).toThrow(/no such file or directory/);
    expect(() => readAttestedSboms(mkdtempSync(join(tmpdir(), "speck-empty-")))).toThrow(/not an OCI layout or archive/);
    expect(() => readAttestedSboms(layout({}))).toThrow(/no SPDX attestation; build it with --sbom=true/);
  });
});
