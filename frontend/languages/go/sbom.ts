// Gathers what a speck Go build's SBOM says, after the binary was verified:
// the binary's bytes and its embedded build info (modules, Go version), the
// Go files and module files sent in the context, and the toolchain's package
// databases, read as the C path reads them. No exec: the build info is a few
// ranged reads of the binary.

import type { GatewayClient, Reference } from "../../gateway/index.js";
import { collectLanguageSbom, type LanguageBuildFacts, type WantedInput } from "../../sbom/collect.js";
import { GoBuildInfoError, readGoBuildInfo } from "./buildinfo.js";
import { goSbomPart } from "./sbom-document.js";
import { UserError } from "../../errors.js";
import type { SbomInput } from "../../sbom/types.js";

export interface GoBuildFacts extends LanguageBuildFacts {
  /** Every file of the context (relative paths), to pick the Go sources and module files from. */
  readonly contextFiles: readonly string[];
  readonly cgo: boolean;
}

/** Files that name the modules and their hashes: what the go command read to choose them. */
const MODULE_FILES = new Set(["go.mod", "go.sum", "vendor/modules.txt"]);

/**
 * The files a Go SBOM lists: the module files, and the .go files go build
 * may compile. go build never compiles tests, nor anything in a directory
 * named testdata or starting with `_` or `.`; image files are listed as such.
 */
export function goInputs(contextFiles: readonly string[], imageFiles: LanguageBuildFacts["imageFiles"]): WantedInput[] {
  const images = new Set(imageFiles.map((f) => f.src));
  const out: WantedInput[] = [];
  for (const f of contextFiles) {
    if (MODULE_FILES.has(f)) out.push({ role: "module-file", src: f, path: f });
    else if (f.endsWith(".go") && !f.endsWith("_test.go") && !images.has(f) && !f.split("/").slice(0, -1).some((d) => d === "testdata" || d.startsWith("_") || d.startsWith("."))) {
      out.push({ role: "source", src: f, path: f, note: "a Go file of the build context under `sources` (path relative to the context); see the document's comment on which of them go build compiled" });
    }
  }
  for (const f of imageFiles) out.push({ role: "image-file", src: f.src, path: f.dest });
  return out;
}

export async function collectGoSbom(client: GatewayClient, facts: GoBuildFacts): Promise<SbomInput> {
  const { ref, path, size } = facts.binary;
  // Go links no package of the environment: its modules and standard library come in `language`.
  const language = readGoBuildInfo(binaryReader(client, ref, path, size)).then(
    (info) => goSbomPart({ buildInfo: info, cgo: facts.cgo }),
    (e: unknown) => {
      if (!(e instanceof GoBuildInfoError)) throw e;
      throw new UserError(
        [{ message: `--sbom: cannot read the Go build info of ${path} (${e.message})`, hint: "speck reads the modules a Go binary links from its build info, which Go 1.18 and later write; use a newer Go toolchain, or build without --sbom" }],
        undefined,
        { cause: e },
      );
    },
  );
  return collectLanguageSbom(client, facts, goInputs(facts.contextFiles, facts.imageFiles), language);
}

/** Ranged reads of the binary, never past its end (as verify.ts reads it). */
function binaryReader(client: GatewayClient, ref: Reference, path: string, size: number) {
  return async (offset: number, length: number): Promise<Uint8Array> => {
    const n = Math.max(0, Math.min(length, size - offset));
    return n === 0 ? new Uint8Array(0) : client.readFile(ref, path, { offset, length: n });
  };
}
