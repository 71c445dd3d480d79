// `docker buildx build --call outline`: the build arguments speck reads, with
// what each does and the value this build would use, for the target asked for.
// The answer has BuildKit's outline shape (frontend/subrequests/outline:
// {name, description, args: [{name, description, value}]}), which buildx prints
// as a TARGET header and a BUILD ARG / VALUE / DESCRIPTION table. speck's build
// args are not declared in the build file, so they carry no source location.

import type { BuildOptions } from "../gateway/index.js";
import { parseTarget, TARGETS } from "./targets.js";

export const OUTLINE_REQUEST = "frontend.outline";

/** How the describe answer lists this request (BuildKit's subrequests.Request). */
export const OUTLINE_DESCRIPTION = {
  name: OUTLINE_REQUEST,
  version: "1.0.0",
  type: "rpc",
  description: "List the build arguments speck reads, for the build target",
  opts: [{ name: "target", description: "the build target (default: image)" }],
  metadata: [{ name: "result.json" }, { name: "result.txt" }],
} as const;

interface ReadBuildArg {
  readonly name: string;
  readonly description: string;
  /** What speck uses when the build does not pass the argument. */
  readonly default: string;
}

/**
 * Every `--build-arg` speck reads (frontend/pipeline/settings.ts,
 * gateway/options.ts multiPlatform, sbom/request.ts). Any other one, but the
 * proxy variables and the BUILDKIT_* ones BuildKit and buildx set, gets the
 * "not used by speck" warning (settings.ts).
 */
export const READ_BUILD_ARGS: readonly ReadBuildArg[] = [
  {
    name: "SOURCE_DATE_EPOCH",
    description: "seconds since 1970: every file's time and the image's created date (0 when unset, so the same inputs give the same digest)",
    default: "0",
  },
  {
    name: "BUILDKIT_MULTI_PLATFORM",
    description: "true: an image index even for one platform (as --platform with several does)",
    default: "false",
  },
  {
    name: "BUILDKIT_ATTEST_SBOM",
    description: "the same as --sbom: speck attaches the binary's SPDX document (type=sbom; disabled=true or generator=<image> leave it to BuildKit)",
    default: "",
  },
];

export interface Outline {
  readonly name: string;
  readonly description: string;
  readonly args: readonly { readonly name: string; readonly description: string; readonly value?: string }[];
}

/** The outline of the build `options` describe; an unknown --target is the user's error, as in a build. */
export function outline(options: BuildOptions): Outline {
  const name = parseTarget(options.target);
  const target = TARGETS.find((t) => t.name === name);
  const given = options.buildArgs;
  const args = READ_BUILD_ARGS.map((a) => {
    const value = given.get(a.name) ?? a.default;
    // Go's encoding/json leaves an empty value out (`omitempty`); so does speck.
    return { name: a.name, description: a.description, ...(value === "" ? {} : { value }) };
  });
  return { name, description: target?.description ?? "", args };
}

/** The text answer: the same table buildx prints from the JSON. */
export function outlineText(o: Outline): string {
  const head = `TARGET:      ${o.name}\nDESCRIPTION: ${o.description}\n\n`;
  const rows = [["BUILD ARG", "VALUE", "DESCRIPTION"], ...o.args.map((a) => [a.name, a.value ?? "", a.description])];
  const widths = [0, 1].map((c) => Math.max(...rows.map((r) => (r[c] ?? "").length)));
  const lines = rows.map((r) => `${(r[0] ?? "").padEnd((widths[0] ?? 0) + 3)}${(r[1] ?? "").padEnd((widths[1] ?? 0) + 3)}${r[2] ?? ""}`.trimEnd());
  return `${head}${lines.join("\n")}\n`;
}
