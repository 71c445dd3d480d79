// `docker buildx build --call=<request>` (and `--check`): answered from
// result metadata, without building anything.

import { ResultBuilder, type FrontendResult, type GatewayClient } from "../gateway/index.js";
import { parseBuildFile } from "../languages/registry.js";
import { UserError } from "../errors.js";
import { readBuildFile } from "./build-file.js";
import { outline, OUTLINE_DESCRIPTION, OUTLINE_REQUEST, outlineText } from "./outline.js";
import { TARGETS } from "./targets.js";

/** One request speck answers: the describe answer lists these rows and the dispatch runs their `answer`. */
interface Subrequest {
  readonly name: string;
  readonly version: string;
  readonly description: string;
  /** The options it takes and the metadata keys it answers with, as BuildKit's subrequests.Request lists them. */
  readonly opts?: readonly { readonly name: string; readonly description: string }[];
  readonly metadata?: readonly { readonly name: string }[];
  answer(client: GatewayClient, result: ResultBuilder): Promise<FrontendResult> | FrontendResult;
}

const SUBREQUESTS: readonly Subrequest[] = [
  { name: "frontend.subrequests.describe", version: "1.0.0", description: "List available subrequests", answer: (_, result) => describe(result) },
  { name: "frontend.targets", version: "1.0.0", description: "List available build targets", answer: (_, result) => targets(result) },
  /** `--check`: the build file is read and checked as a build would, and nothing runs. */
  { name: "frontend.lint", version: "1.0.0", description: "Check the build file without building", answer: lint },
  {
    ...OUTLINE_DESCRIPTION,
    answer: (client, result) => {
      const o = outline(client.options);
      return result.setMetadata("result.json", JSON.stringify(o)).setMetadata("result.txt", outlineText(o)).finalize();
    },
  },
];

export async function answerSubrequest(client: GatewayClient, request: string): Promise<FrontendResult> {
  const found = SUBREQUESTS.find((r) => r.name === request);
  if (found === undefined) throw new UserError(`unsupported request ${request}: speck answers ${SUBREQUESTS.map((r) => r.name).join(", ")}`);
  return found.answer(client, new ResultBuilder(false).setMetadata("version", "1.0.0"));
}

/** BuildKit's describe answer: every row of SUBREQUESTS, as JSON and as a table. */
function describe(result: ResultBuilder): FrontendResult {
  const rows = SUBREQUESTS.map((r) => ({ name: r.name, version: r.version, type: "rpc", description: r.description, ...(r.opts ? { opts: r.opts } : {}), ...(r.metadata ? { metadata: r.metadata } : {}) }));
  const txt = rows.map((r) => `${r.name.padEnd(32)} ${r.description}`).join("\n");
  return result.setMetadata("result.json", JSON.stringify(rows)).setMetadata("result.txt", `${txt}\n`).finalize();
}

function targets(result: ResultBuilder): FrontendResult {
  const list = TARGETS.map((t) => ({ name: t.name, description: t.description, ...(t.default ? { default: true } : {}) }));
  const txt = TARGETS.map((t) => `${t.name}${t.default ? " (default)" : ""}`.padEnd(20) + t.description).join("\n");
  return result.setMetadata("result.json", JSON.stringify({ targets: list })).setMetadata("result.txt", `TARGET              DESCRIPTION\n${txt}\n`).finalize();
}

/**
 * BuildKit's lint result: no warnings of speck's own yet, and the first
 * problem of a file that does not parse as the build error, with its line
 * (buildx prints the snippet and exits 1 from `result.statuscode`).
 */
async function lint(client: GatewayClient, result: ResultBuilder): Promise<FrontendResult> {
  const file = await readBuildFile(client);
  const source = { filename: file.name, data: Buffer.from(file.data).toString("base64"), language: "YAML" };
  let buildError: { message: string; location?: object } | undefined;
  try {
    parseBuildFile(file.name, file.data);
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    const first = e.problems[0];
    const message = e.problems.map((p) => `${p.message}${p.hint ? ` (${p.hint})` : ""}`).join("; ");
    buildError = {
      message,
      ...(first?.span ? { location: { sourceIndex: 0, ranges: [{ start: { line: first.span.start.line }, end: { line: first.span.end.line } }] } } : {}),
    };
  }
  const json = { warnings: [], sources: [source], ...(buildError ? { buildError } : {}) };
  const txt = buildError ? `${file.name}: ${buildError.message}\n` : `${file.name}: no problems found\n`;
  return result
    .setMetadata("result.json", JSON.stringify(json))
    .setMetadata("result.txt", txt)
    .setMetadata("result.statuscode", buildError ? "1" : "0")
    .finalize();
}
