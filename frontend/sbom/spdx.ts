// The part of SPDX 2.3's JSON form speck writes (spdx.github.io/spdx-spec/v2.3,
// clauses 6 document creation, 7 package, 8 file, 10 other licensing, 11
// relationships). Optional fields are left out, never written empty, so a
// consumer's "field present but empty" checks cannot trip.

export const SPDX_VERSION = "SPDX-2.3";
/** Clause 6.2: the SPDX data itself is always CC0-1.0. */
export const DATA_LICENSE = "CC0-1.0";
export const DOCUMENT_ID = "SPDXRef-DOCUMENT";
/** The in-toto predicate type BuildKit tests for (`intoto.PredicateSPDX`, frontend/attestations/sbom HasSBOM). */
export const SPDX_PREDICATE_TYPE = "https://spdx.dev/Document";
export const NOASSERTION = "NOASSERTION";

export type ChecksumAlgorithm = "SHA1" | "SHA256";

export interface Checksum {
  readonly algorithm: ChecksumAlgorithm;
  readonly checksumValue: string;
}

export interface ExternalRef {
  readonly referenceCategory: "PACKAGE-MANAGER";
  readonly referenceType: "purl";
  readonly referenceLocator: string;
}

export interface SpdxPackage {
  readonly name: string;
  readonly SPDXID: string;
  readonly versionInfo?: string;
  readonly packageFileName?: string;
  readonly supplier?: string;
  readonly downloadLocation: string;
  readonly filesAnalyzed: false;
  readonly checksums?: readonly Checksum[];
  readonly homepage?: string;
  readonly sourceInfo?: string;
  readonly licenseConcluded: string;
  readonly licenseDeclared: string;
  readonly copyrightText: string;
  readonly summary?: string;
  readonly comment?: string;
  readonly externalRefs?: readonly ExternalRef[];
  readonly primaryPackagePurpose?: "APPLICATION" | "LIBRARY" | "CONTAINER" | "OPERATING-SYSTEM" | "SOURCE" | "ARCHIVE" | "FILE" | "INSTALL" | "OTHER";
}

export interface SpdxFile {
  readonly fileName: string;
  readonly SPDXID: string;
  readonly fileTypes: readonly ("SOURCE" | "TEXT" | "BINARY" | "OTHER")[];
  readonly checksums: readonly Checksum[];
  readonly licenseConcluded: string;
  readonly copyrightText: string;
  readonly comment?: string;
}

/** The relationship types speck states (clause 11.1 lists them all). */
export type RelationshipType = "DESCRIBES" | "GENERATED_FROM" | "STATIC_LINK" | "BUILD_TOOL_OF" | "CONTAINS" | "DATA_FILE_OF" | "DEPENDENCY_MANIFEST_OF";

export interface Relationship {
  readonly spdxElementId: string;
  readonly relationshipType: RelationshipType;
  readonly relatedSpdxElement: string;
  readonly comment?: string;
}

/** Clause 10: a license that has no SPDX identifier, with its text. */
export interface ExtractedLicense {
  readonly licenseId: string;
  readonly extractedText: string;
  readonly name?: string;
}

export interface SpdxDocument {
  readonly spdxVersion: typeof SPDX_VERSION;
  readonly dataLicense: typeof DATA_LICENSE;
  readonly SPDXID: typeof DOCUMENT_ID;
  readonly name: string;
  readonly documentNamespace: string;
  readonly creationInfo: { readonly created: string; readonly creators: readonly string[]; readonly comment?: string };
  readonly packages: readonly SpdxPackage[];
  readonly files: readonly SpdxFile[];
  readonly hasExtractedLicensingInfos?: readonly ExtractedLicense[];
  readonly relationships: readonly Relationship[];
}

/**
 * Clause 3.2: an SPDX identifier is `SPDXRef-` and letters, digits, `.` and
 * `-`. Others are mapped to stay readable: `+` becomes `p` (libstdc++ ->
 * libstdcpp), any other run of characters `-`; the builder rejects collisions.
 */
export function spdxId(...parts: readonly string[]): string {
  const body = parts
    .filter((p) => p !== "")
    .map((p) => p.replace(/\+/g, "p").replace(/[^A-Za-z0-9.-]+/g, "-").replace(/^-+|-+$/g, ""))
    .join("-");
  return `SPDXRef-${body}`;
}
