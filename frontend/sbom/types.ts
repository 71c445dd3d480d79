// What an SBOM is built from, language-agnostic: the artifact, the inputs
// that were compiled, the build environment (an image plus the packages its
// package databases record) and which packages the link put into the artifact.
// A C build fills it from a link map; a language whose binary records what it
// links (a Go binary's build info) adds its own part (`language`), written by
// its folder, beside the same environment and inputs.

import type { Relationship, SpdxPackage } from "./spdx.js";

/** A package as a package database records it. */
export interface InstalledPackage {
  readonly manager: "dpkg" | "apk";
  readonly name: string;
  readonly version: string;
  readonly architecture: string;
  /** The source package it was built from (dpkg `Source:`, apk `o:`); the name itself when the DB names none. */
  readonly origin: string;
  /** `Name <email>` as the DB has it. */
  readonly maintainer?: string;
  readonly homepage?: string;
  /** A valid SPDX expression, or NOASSERTION; texts for its LicenseRef- ids. */
  readonly license: PackageLicense;
  /** The root whose database lists it: `/`, or a sysroot such as `/aarch64-linux-musl`. */
  readonly root: string;
  /** The distribution from the root's os-release (`debian`, `12`), for package URLs. */
  readonly distro?: { readonly id: string; readonly versionId?: string };
}

export interface PackageLicense {
  readonly expression: string;
  readonly extracted: readonly { readonly licenseId: string; readonly name: string; readonly text: string }[];
}

export interface Digests {
  readonly sha1: string;
  readonly sha256: string;
}

/**
 * A file that went into the build: a compiled source, a file copied into the
 * image, or a module file (go.mod, go.sum) that says which modules were used.
 */
export interface InputFile {
  readonly role: "source" | "image-file" | "module-file";
  /** Relative to the build context for sources; the absolute path in the image for image files. */
  readonly path: string;
  readonly digests: Digests;
  /** What the document says of it, where the role's usual sentence would claim too much. */
  readonly note?: string;
}

/** A package whose files the link put into the artifact, and which files those were. */
export interface LinkedPackage {
  readonly package: InstalledPackage;
  /** Paths in the build environment, with the archive members taken: `/usr/lib/x86_64-linux-musl/libc.a (37 members)`. */
  readonly files: readonly string[];
}

/** A file the link took that no package database lists (built by hand into the toolchain, say). */
export interface UnclaimedFile {
  /** Its path in the build environment. */
  readonly path: string;
  /** `libfoo.a (3 members)` */
  readonly description: string;
  readonly digests: Digests;
}

export interface SbomInput {
  /** The program's name: the binary in the image is `/<name>`. */
  readonly name: string;
  /** `linux/amd64` */
  readonly platform: string;
  /** Seconds since the epoch (SOURCE_DATE_EPOCH, or 0). */
  readonly created: number;
  /** `speck-0.1.0` */
  readonly tool: string;
  readonly artifact: { readonly path: string; readonly size: number; readonly digests: Digests; readonly description: string };
  readonly inputs: readonly InputFile[];
  /** The image the compile ran in, as `ref@sha256:...`, or a description when it was not an image. */
  readonly environment: { readonly image: string; readonly digest?: string };
  /** Every package installed where the compile ran (build tools and libraries alike). */
  readonly packages: readonly InstalledPackage[];
  readonly linked: readonly LinkedPackage[];
  /** Linked files no package claims: listed as files, so the document never hides a linked input. */
  readonly unclaimed: readonly UnclaimedFile[];
  /** What the language adds beyond the shared facts (a Go binary's toolchain and modules), or none. */
  readonly language?: LanguageSbomPart;
}

/**
 * A language's own part of the SBOM, written by its folder: the document
 * places it, the language says what it holds.
 */
export interface LanguageSbomPart {
  /** Appended to the document's comment: where these facts come from and what the sources listed mean. */
  readonly note: string;
  /** The program package's sourceInfo, when the language knows what the program was built from. */
  readonly sourceInfo?: string;
  /** Its packages and their relationships to the program and the environment, claiming each SPDX id through `claim`. */
  parts(program: string, environment: string, claim: (id: string, owner: string) => string): LanguageSbomParts;
}

export interface LanguageSbomParts {
  readonly packages: readonly SpdxPackage[];
  readonly relationships: readonly Relationship[];
}
