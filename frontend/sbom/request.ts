// Whether this build asked for an SBOM speck should write. buildx turns
// `--sbom=true` / `--attest type=sbom` into the frontend option `attest:sbom`
// (docker/buildx build/opt.go: FrontendAttrs["attest:"+k], value "type=sbom"
// plus any attributes, as CSV; a disabled one is not sent at all). BuildKit's
// dockerui reads the same key, and `build-arg:BUILDKIT_ATTEST_SBOM` as an
// alias (frontend/attestations/parse.go).
//
// An explicit `generator=<image>` is a request for that scanner: speck then
// adds nothing, and the daemon runs the scanner as it would for any frontend
// (solver/llbsolver/proc/sbom.go runs only when the result carries no SBOM).

import type { BuildOptions } from "../gateway/index.js";

export type SbomRequest = { readonly write: true } | { readonly write: false; readonly why: "not asked" | "disabled" | "a generator was named" };

export function sbomRequest(options: BuildOptions): SbomRequest {
  const value = options.get("attest:sbom") ?? options.get("build-arg:BUILDKIT_ATTEST_SBOM");
  if (value === undefined) return { write: false, why: "not asked" };
  const attrs = new Map<string, string>();
  for (const field of value.split(",")) {
    const eq = field.indexOf("=");
    if (field.trim() === "") continue;
    attrs.set((eq < 0 ? field : field.slice(0, eq)).trim().toLowerCase(), eq < 0 ? "" : field.slice(eq + 1).trim());
  }
  if (/^(true|1)$/i.test(attrs.get("disabled") ?? "")) return { write: false, why: "disabled" };
  if (attrs.has("generator")) return { write: false, why: "a generator was named" };
  return { write: true };
}
