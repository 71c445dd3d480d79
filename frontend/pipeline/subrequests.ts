// `docker buildx build --call=<request>` (and `--check`): answered from
// result metadata, without building anything.

import { ResultBuilder, type FrontendResult, type GatewayClient } from "../gateway/index.js";
import { parseSpec } from "../speckfile/index.js";
import { UserError } from "../errors.js";
import { readBuildFile } from "./build-file.js";
import { outline, OUTLINE_DESCRIPTION, OUTLINE_REQUEST, outlineText } from "./outline.js";
import { TARGETS } from "./targets.js";

const DESCRIBE = "frontend.subrequests.describe";
const TARGETS_REQUEST = "frontend.targets";
/** `--check`: the build file is read and checked as a build would, and nothing runs. */
const LINT = "frontend.lint";

const REQUESTS = [
  { name: DESCRIBE, version: "1.0.0", type: "rpc", description: "List available subrequests" },
  { name: TARGETS_REQUEST, version: "1.0.0", type: "rpc", description: "List available build targets" },
  { name: LINT, version: "1.0.0", type: "rpc", description: "Check the build file without building" },
  OUTLINE_DESCRIPTION,
];

export async function answerSubrequest(client: GatewayClient, request: string): Promise<FrontendResult> {
  const result = new ResultBuilder(false).setMetadata("version", "1.0.0");
  if (request === DESCRIBE) {
    const txt = REQUESTS.map((r) => `${r.name.padEnd(32)} ${r.description}`).join("\n");
    return result.setMetadata("result.json", JSON.stringify(REQUESTS)).setMetadata("result.txt", `${txt}\n`).finalize();
  }
  if (request === TARGETS_REQUEST) {
    const targets = TARGETS.map((t) => ({ name: t.name, description: t.description, ...(t.default ? { default: true } : {}) }));
    const txt = TARGETS.map((t) => `${t.name}${t.default ? " (default)" : ""}`.padEnd(20) + t.description).join("\n");
    return result.setMetadata("result.json", JSON.stringify({ targets })).setMetadata("result.txt", `TARGET              DESCRIPTION\n${txt}\n`).finalize();
  }
  if (request === LINT) return lint(client, result);
  if (request === OUTLINE_REQUEST) {
    const o = outline(client.options);
    return result.setMetadata("result.json", JSON.stringify(o)).setMetadata("result.txt", outlineText(o)).finalize();
  }
  throw new UserError(`unsupported request ${request}: speck answers ${REQUESTS.map((r) => r.name).join(", ")}`);
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
    parseSpec(file.name, file.data);
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
