// The SPDX 2.3 rules SBOM consumers enforce, written from the specification
// (spdx.github.io/spdx-spec/v2.3): returns every broken rule, so a test can
// both pass a good document and prove a bad one is caught.

import parseSpdx from "spdx-expression-parse";

/** Clause 11.1, every relationship type SPDX 2.3 defines. */
const RELATIONSHIP_TYPES = new Set([
  "DESCRIBES", "DESCRIBED_BY", "CONTAINS", "CONTAINED_BY", "DEPENDS_ON", "DEPENDENCY_OF", "DEPENDENCY_MANIFEST_OF",
  "BUILD_DEPENDENCY_OF", "DEV_DEPENDENCY_OF", "OPTIONAL_DEPENDENCY_OF", "PROVIDED_DEPENDENCY_OF", "TEST_DEPENDENCY_OF",
  "RUNTIME_DEPENDENCY_OF", "EXAMPLE_OF", "GENERATES", "GENERATED_FROM", "ANCESTOR_OF", "DESCENDANT_OF", "VARIANT_OF",
  "DISTRIBUTION_ARTIFACT", "PATCH_FOR", "PATCH_APPLIED", "COPY_OF", "FILE_ADDED", "FILE_DELETED", "FILE_MODIFIED",
  "EXPANDED_FROM_ARCHIVE", "DYNAMIC_LINK", "STATIC_LINK", "DATA_FILE_OF", "TEST_CASE_OF", "BUILD_TOOL_OF", "DEV_TOOL_OF",
  "TEST_OF", "TEST_TOOL_OF", "DOCUMENTATION_OF", "OPTIONAL_COMPONENT_OF", "METAFILE_OF", "PACKAGE_OF", "AMENDS",
  "PREREQUISITE_FOR", "HAS_PREREQUISITE", "REQUIREMENT_DESCRIPTION_FOR", "SPECIFICATION_FOR", "OTHER",
]);

/** Clause 7.10 / 8.4: checksum algorithms, with the hex length of the fixed-size ones. */
const CHECKSUM_LENGTHS: Readonly<Record<string, number | undefined>> = {
  SHA1: 40, SHA224: 56, SHA256: 64, SHA384: 96, SHA512: 128, "SHA3-256": 64, "SHA3-384": 96, "SHA3-512": 128,
  "BLAKE2b-256": 64, "BLAKE2b-384": 96, "BLAKE2b-512": 128, BLAKE3: undefined, MD2: 32, MD4: 32, MD5: 32, MD6: undefined, ADLER32: 8,
};

/** Clause 7.24. */
const PURPOSES = new Set(["APPLICATION", "FRAMEWORK", "LIBRARY", "CONTAINER", "OPERATING-SYSTEM", "DEVICE", "FIRMWARE", "SOURCE", "ARCHIVE", "FILE", "INSTALL", "OTHER"]);
/** Clause 8.3. */
const FILE_TYPES = new Set(["SOURCE", "BINARY", "ARCHIVE", "APPLICATION", "AUDIO", "IMAGE", "TEXT", "VIDEO", "DOCUMENTATION", "SPDX", "OTHER"]);
/** Clause 7.21. */
const REF_CATEGORIES = new Set(["SECURITY", "PACKAGE-MANAGER", "PERSISTENT-ID", "OTHER"]);

const SPDX_ID = /^SPDXRef-[A-Za-z0-9.-]+$/;
const LICENSE_REF = /^LicenseRef-[A-Za-z0-9.-]+$/;

type Json = Record<string, unknown>;

export function spdxProblems(doc: unknown): string[] {
  const out: string[] = [];
  const d = doc as Json;
  const need = (cond: boolean, what: string): void => {
    if (!cond) out.push(what);
  };
  // Clause 6: document creation information.
  need(d["spdxVersion"] === "SPDX-2.3", "spdxVersion must be SPDX-2.3 (6.1)");
  need(d["dataLicense"] === "CC0-1.0", "dataLicense must be CC0-1.0 (6.2)");
  need(d["SPDXID"] === "SPDXRef-DOCUMENT", "the document's SPDXID must be SPDXRef-DOCUMENT (6.3)");
  need(typeof d["name"] === "string" && d["name"] !== "", "the document needs a name (6.4)");
  const ns = d["documentNamespace"];
  need(typeof ns === "string" && /^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(ns) && !ns.includes("#"), "documentNamespace must be an absolute URI without # (6.5)");
  const ci = d["creationInfo"] as Json | undefined;
  need(typeof ci?.["created"] === "string" && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(ci["created"] as string), "created must be YYYY-MM-DDThh:mm:ssZ (6.9)");
  const creators = ci?.["creators"];
  need(Array.isArray(creators) && creators.length > 0 && creators.every((c) => typeof c === "string" && /^(Person|Organization|Tool): \S/.test(c)), "creators: at least one, each Person:/Organization:/Tool: (6.8)");

  const ids = new Set<string>(["SPDXRef-DOCUMENT"]);
  const claim = (id: unknown, where: string): void => {
    if (typeof id !== "string" || !SPDX_ID.test(id)) out.push(`${where}: SPDXID ${String(id)} is not SPDXRef-[A-Za-z0-9.-]+ (3.2)`);
    else if (ids.has(id)) out.push(`${where}: SPDXID ${id} is used twice`);
    else ids.add(id);
  };

  const refs = new Set(((d["hasExtractedLicensingInfos"] as Json[] | undefined) ?? []).map((e) => e["licenseId"] as string));
  for (const e of (d["hasExtractedLicensingInfos"] as Json[] | undefined) ?? []) {
    need(typeof e["licenseId"] === "string" && LICENSE_REF.test(e["licenseId"] as string), `extracted license id ${String(e["licenseId"])} must be LicenseRef-[A-Za-z0-9.-]+ (10.1)`);
    need(typeof e["extractedText"] === "string" && (e["extractedText"] as string).trim() !== "", `extracted license ${String(e["licenseId"])} needs its text (10.2)`);
  }
  const license = (v: unknown, where: string, required: boolean): void => {
    if (v === undefined) {
      if (required) out.push(`${where}: missing`);
      return;
    }
    if (v === "NONE" || v === "NOASSERTION") return;
    if (typeof v !== "string") return void out.push(`${where}: not a string`);
    let parsed: unknown;
    try {
      parsed = parseSpdx(v);
    } catch (e) {
      return void out.push(`${where}: ${v} is not an SPDX license expression (${(e as Error).message})`);
    }
    for (const id of licenseIds(parsed)) if (id.startsWith("LicenseRef-") && !refs.has(id)) out.push(`${where}: ${id} has no hasExtractedLicensingInfos entry (10.1)`);
  };
  const checksums = (v: unknown, where: string, needSha1: boolean): void => {
    if (!Array.isArray(v) || v.length === 0) return void out.push(`${where}: checksums missing`);
    for (const c of v as Json[]) {
      const alg = c["algorithm"] as string;
      const value = c["checksumValue"];
      if (!(alg in CHECKSUM_LENGTHS)) out.push(`${where}: unknown checksum algorithm ${alg}`);
      const len = CHECKSUM_LENGTHS[alg];
      if (typeof value !== "string" || !/^[0-9a-f]+$/.test(value) || (len !== undefined && value.length !== len)) out.push(`${where}: ${alg} value ${String(value)} is not ${len ?? "some"} lower-case hex digits`);
    }
    if (needSha1 && !(v as Json[]).some((c) => c["algorithm"] === "SHA1")) out.push(`${where}: a file needs a SHA1 checksum (8.4)`);
  };

  for (const p of (d["packages"] as Json[] | undefined) ?? []) {
    const where = `package ${String(p["name"])}`;
    claim(p["SPDXID"], where);
    need(typeof p["name"] === "string" && p["name"] !== "", `${where}: name required (7.1)`);
    const dl = p["downloadLocation"];
    need(dl === "NONE" || dl === "NOASSERTION" || (typeof dl === "string" && /^\S+:\S+$/.test(dl)), `${where}: downloadLocation must be a location, NONE or NOASSERTION (7.7)`);
    if (p["filesAnalyzed"] !== false) need(p["packageVerificationCode"] !== undefined, `${where}: files analyzed needs a packageVerificationCode (7.9)`);
    else need(p["hasFiles"] === undefined && p["packageVerificationCode"] === undefined, `${where}: files not analyzed, yet files listed (7.8)`);
    if (p["versionInfo"] !== undefined) need(typeof p["versionInfo"] === "string" && p["versionInfo"] !== "", `${where}: versionInfo must not be empty (7.3)`);
    if (p["supplier"] !== undefined) need(p["supplier"] === "NOASSERTION" || /^(Person|Organization): \S/.test(String(p["supplier"])), `${where}: supplier must be Person:/Organization:/NOASSERTION (7.5)`);
    if (p["checksums"] !== undefined) checksums(p["checksums"], where, false);
    license(p["licenseConcluded"], `${where} licenseConcluded (7.13)`, false);
    license(p["licenseDeclared"], `${where} licenseDeclared (7.15)`, false);
    if (p["primaryPackagePurpose"] !== undefined) need(PURPOSES.has(p["primaryPackagePurpose"] as string), `${where}: unknown primaryPackagePurpose (7.24)`);
    for (const r of (p["externalRefs"] as Json[] | undefined) ?? []) {
      need(REF_CATEGORIES.has(r["referenceCategory"] as string), `${where}: unknown externalRef category (7.21)`);
      if (r["referenceType"] === "purl") need(/^pkg:[a-z0-9.+-]+\/\S+$/.test(String(r["referenceLocator"])) && !/\s/.test(String(r["referenceLocator"])), `${where}: bad purl ${String(r["referenceLocator"])}`);
    }
  }
  for (const f of (d["files"] as Json[] | undefined) ?? []) {
    const where = `file ${String(f["fileName"])}`;
    claim(f["SPDXID"], where);
    need(typeof f["fileName"] === "string" && (f["fileName"] as string).startsWith("./"), `${where}: fileName must be a relative path starting with ./ (8.1)`);
    checksums(f["checksums"], where, true);
    for (const t of (f["fileTypes"] as unknown[] | undefined) ?? []) need(FILE_TYPES.has(t as string), `${where}: unknown file type ${String(t)} (8.3)`);
    license(f["licenseConcluded"], `${where} licenseConcluded (8.5)`, false);
  }
  let describes = 0;
  for (const r of (d["relationships"] as Json[] | undefined) ?? []) {
    const where = `relationship ${String(r["spdxElementId"])} ${String(r["relationshipType"])} ${String(r["relatedSpdxElement"])}`;
    need(RELATIONSHIP_TYPES.has(r["relationshipType"] as string), `${where}: not an SPDX 2.3 relationship type (11.1)`);
    need(ids.has(r["spdxElementId"] as string), `${where}: unknown element ${String(r["spdxElementId"])}`);
    const rel = r["relatedSpdxElement"] as string;
    need(ids.has(rel) || rel === "NONE" || rel === "NOASSERTION", `${where}: unknown related element ${rel}`);
    if (r["spdxElementId"] === "SPDXRef-DOCUMENT" && r["relationshipType"] === "DESCRIBES") describes++;
  }
  need(describes > 0 || (Array.isArray(d["documentDescribes"]) && (d["documentDescribes"] as unknown[]).length > 0), "the document must DESCRIBE at least one element (6, 11)");
  return out;
}

function licenseIds(node: unknown): string[] {
  const n = node as { license?: string; left?: unknown; right?: unknown };
  if (n.license !== undefined) return [n.license];
  return [...(n.left !== undefined ? licenseIds(n.left) : []), ...(n.right !== undefined ? licenseIds(n.right) : [])];
}
