// SbomInput -> an SPDX 2.3 document, and its bytes. Deterministic by
// construction: every list is sorted, object keys are written in one fixed
// order (the literal order below), `created` comes from SOURCE_DATE_EPOCH and
// the namespace is a hash of the rest of the document. Same inputs, same bytes.

import { createHash } from "node:crypto";
import {
  DATA_LICENSE,
  DOCUMENT_ID,
  NOASSERTION,
  SPDX_VERSION,
  spdxId,
  type Checksum,
  type ExtractedLicense,
  type Relationship,
  type SpdxDocument,
  type SpdxFile,
  type SpdxPackage,
} from "./spdx.js";
import type { Digests, InputFile, InstalledPackage, SbomInput } from "./types.js";
import { packageUrl } from "./purl.js";
import { compare } from "./order.js";

/** What each kind of input file is called and how it is described. */
const ROLES = {
  source: { idPrefix: "Source", fileType: "SOURCE", comment: () => "compiled into the program (path relative to the build context)" },
  "image-file": { idPrefix: "ImageFile", fileType: "OTHER", comment: (path: string) => `copied into the image at ${path}` },
  "module-file": { idPrefix: "ModuleFile", fileType: "TEXT", comment: () => "names the modules and versions the build used, and their hashes (path relative to the build context)" },
} as const;

export function buildSpdxDocument(input: SbomInput): SpdxDocument {
  const ids = new IdRegistry();
  const program = ids.claim(spdxId("Program", input.name), `program ${input.name}`);
  const environment = ids.claim(spdxId("BuildEnvironment"), "the build environment");

  const packages: SpdxPackage[] = [programPackage(input, program), environmentPackage(input, environment)];
  const relationships: Relationship[] = [
    { spdxElementId: DOCUMENT_ID, relationshipType: "DESCRIBES", relatedSpdxElement: program },
    { spdxElementId: environment, relationshipType: "BUILD_TOOL_OF", relatedSpdxElement: program },
  ];

  const files: SpdxFile[] = [];
  for (const f of sortedInputs(input.inputs)) {
    const id = ids.claim(spdxId(ROLES[f.role].idPrefix, f.path), `${f.role} ${f.path}`);
    files.push(inputFile(f, id));
    relationships.push(
      f.role === "source"
        ? { spdxElementId: program, relationshipType: "GENERATED_FROM", relatedSpdxElement: id }
        : { spdxElementId: id, relationshipType: f.role === "image-file" ? "DATA_FILE_OF" : "DEPENDENCY_MANIFEST_OF", relatedSpdxElement: program },
    );
  }

  for (const u of [...input.unclaimed].sort((a, b) => compare(a.path, b.path))) {
    const id = ids.claim(spdxId("Linked", u.path), `linked file ${u.path}`);
    files.push({
      fileName: `./${u.path.replace(/^\/+/, "")}`,
      SPDXID: id,
      fileTypes: ["BINARY"],
      checksums: checksums(u.digests),
      licenseConcluded: NOASSERTION,
      copyrightText: NOASSERTION,
      comment: `linked into the program (${u.description}), but no package database of the build environment lists it`,
    });
    relationships.push({ spdxElementId: program, relationshipType: "STATIC_LINK", relatedSpdxElement: id });
  }

  const linked = new Map(input.linked.map((l) => [packageKey(l.package), l.files]));
  const extracted = new Map<string, ExtractedLicense>();
  for (const p of sortedPackages(input.packages)) {
    const id = ids.claim(packageSpdxId(p), `package ${packageKey(p)}`);
    packages.push(installedPackage(p, id));
    for (const e of p.license.extracted) extracted.set(e.licenseId, { licenseId: e.licenseId, extractedText: e.text, name: e.name });
    relationships.push({ spdxElementId: environment, relationshipType: "CONTAINS", relatedSpdxElement: id });
    const files = linked.get(packageKey(p));
    relationships.push(
      files
        ? { spdxElementId: program, relationshipType: "STATIC_LINK", relatedSpdxElement: id, comment: `linked: ${files.join(", ")}` }
        : { spdxElementId: id, relationshipType: "BUILD_TOOL_OF", relatedSpdxElement: program },
    );
  }
  if (input.language) {
    const own = input.language.parts(program, environment, (id, owner) => ids.claim(id, owner));
    packages.push(...own.packages);
    relationships.push(...own.relationships);
  }
  for (const key of linked.keys()) {
    if (!input.packages.some((p) => packageKey(p) === key)) throw new Error(`linked package ${key} is not among the build environment's packages`);
  }

  const body = {
    spdxVersion: SPDX_VERSION,
    dataLicense: DATA_LICENSE,
    SPDXID: DOCUMENT_ID,
    name: `${input.name} ${input.platform}`,
    documentNamespace: "",
    creationInfo: {
      created: isoSeconds(input.created),
      creators: [`Tool: ${input.tool}`],
      comment: `Written by speck at build time from what the build used: no scanner looked at the image.${input.language ? ` ${input.language.note}` : ""}`,
    },
    packages,
    files,
    ...(extracted.size > 0 ? { hasExtractedLicensingInfos: [...extracted.values()].sort((a, b) => compare(a.licenseId, b.licenseId)) } : {}),
    relationships: relationships.sort(compareRelationships),
  } satisfies SpdxDocument;
  // Clause 6.5: a unique URI per document; a hash of everything else makes it unique per content.
  const hash = createHash("sha256").update(JSON.stringify(body)).digest("hex");
  return { ...body, documentNamespace: `https://spdx.org/spdxdocs/speck/${encodeURIComponent(input.name)}-${hash}` };
}

/** The document's bytes: two-space JSON with a final newline, keys in the order they were built. */
export function serializeSpdx(doc: SpdxDocument): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(doc, null, 2)}\n`);
}

function programPackage(input: SbomInput, id: string): SpdxPackage {
  return {
    name: input.name,
    SPDXID: id,
    packageFileName: input.artifact.path,
    downloadLocation: NOASSERTION,
    filesAnalyzed: false,
    checksums: checksums(input.artifact.digests),
    licenseConcluded: NOASSERTION,
    licenseDeclared: NOASSERTION,
    copyrightText: NOASSERTION,
    ...(input.language?.sourceInfo !== undefined ? { sourceInfo: input.language.sourceInfo } : {}),
    summary: input.artifact.description,
    comment: `${input.artifact.path} in the image, ${input.artifact.size} bytes, built for ${input.platform}`,
    primaryPackagePurpose: "APPLICATION",
  };
}

function environmentPackage(input: SbomInput, id: string): SpdxPackage {
  const { image, digest } = input.environment;
  return {
    name: image,
    SPDXID: id,
    ...(digest !== undefined ? { versionInfo: digest } : {}),
    downloadLocation: NOASSERTION,
    filesAnalyzed: false,
    ...(digest !== undefined ? { checksums: [{ algorithm: "SHA256", checksumValue: digest.replace(/^sha256:/, "") }] } : {}),
    licenseConcluded: NOASSERTION,
    licenseDeclared: NOASSERTION,
    copyrightText: NOASSERTION,
    comment: digest !== undefined ? `The compile ran in ${image}@${digest} (the image manifest's digest), with the packages it CONTAINS.` : `The compile ran in ${image}.`,
    primaryPackagePurpose: "CONTAINER",
  };
}

function installedPackage(p: InstalledPackage, id: string): SpdxPackage {
  const purl = packageUrl(p);
  return {
    name: p.name,
    SPDXID: id,
    versionInfo: p.version,
    ...(p.maintainer !== undefined ? { supplier: `Person: ${personOf(p.maintainer)}` } : {}),
    downloadLocation: NOASSERTION,
    filesAnalyzed: false,
    ...(p.homepage !== undefined ? { homepage: p.homepage } : {}),
    sourceInfo: `${p.manager} package ${p.name} ${p.version} (${p.architecture}), built from source package ${p.origin}${p.root === "/" ? "" : `, in the sysroot ${p.root}`}`,
    licenseConcluded: NOASSERTION,
    licenseDeclared: p.license.expression,
    copyrightText: NOASSERTION,
    ...(purl !== undefined ? { externalRefs: [{ referenceCategory: "PACKAGE-MANAGER", referenceType: "purl", referenceLocator: purl }] } : {}),
    primaryPackagePurpose: "LIBRARY",
  };
}

function inputFile(f: InputFile, id: string): SpdxFile {
  return {
    fileName: `./${f.path.replace(/^\/+/, "")}`,
    SPDXID: id,
    fileTypes: [ROLES[f.role].fileType],
    checksums: checksums(f.digests),
    licenseConcluded: NOASSERTION,
    copyrightText: NOASSERTION,
    comment: f.note ?? ROLES[f.role].comment(f.path),
  };
}

/** Clause 7.5: `Person: name (email)`; a maintainer field is `name <email>`. */
function personOf(maintainer: string): string {
  const m = /^(.*?)\s*<([^>]*)>\s*$/.exec(maintainer);
  return m ? `${m[1]} (${m[2]})` : maintainer;
}

function checksums(d: Digests): Checksum[] {
  // SHA1 first: SPDX 2.3 requires a SHA1 for every file (clause 8.4).
  return [
    { algorithm: "SHA1", checksumValue: d.sha1 },
    { algorithm: "SHA256", checksumValue: d.sha256 },
  ];
}

export function packageKey(p: InstalledPackage): string {
  return `${p.root}|${p.manager}|${p.name}|${p.architecture}`;
}

function packageSpdxId(p: InstalledPackage): string {
  return spdxId("Package", p.manager, p.root === "/" ? "" : `in${p.root}`, p.name, p.architecture);
}

function isoSeconds(epoch: number): string {
  return new Date(epoch * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function sortedInputs(inputs: readonly InputFile[]): InputFile[] {
  return [...inputs].sort((a, b) => compare(a.role, b.role) || compare(a.path, b.path));
}

function sortedPackages(packages: readonly InstalledPackage[]): InstalledPackage[] {
  return [...packages].sort((a, b) => compare(packageKey(a), packageKey(b)));
}

function compareRelationships(a: Relationship, b: Relationship): number {
  return compare(a.spdxElementId, b.spdxElementId) || compare(a.relationshipType, b.relationshipType) || compare(a.relatedSpdxElement, b.relatedSpdxElement);
}

/** SPDX ids must be unique in a document; two inputs that map to one id are a bug to report, not to paper over. */
class IdRegistry {
  private readonly owners = new Map<string, string>();

  claim(id: string, owner: string): string {
    const had = this.owners.get(id);
    if (had !== undefined) throw new Error(`SPDX id ${id} would name both ${had} and ${owner}`);
    this.owners.set(id, owner);
    return id;
  }
}
