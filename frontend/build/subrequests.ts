// `docker buildx build --call=<request>`: answered from metadata, no build.

import { ResultBuilder, type FrontendResult } from "../gateway/index.js";
import { UserError } from "../errors.js";
import { TARGETS } from "./targets.js";

const DESCRIBE = "frontend.subrequests.describe";
const TARGETS_REQUEST = "frontend.targets";

const REQUESTS = [
  { name: DESCRIBE, version: "1.0.0", type: "rpc", description: "List available subrequests" },
  { name: TARGETS_REQUEST, version: "1.0.0", type: "rpc", description: "List available build targets" },
];

export function answerSubrequest(request: string): FrontendResult {
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
  throw new UserError(`unsupported request ${request}: speck answers ${REQUESTS.map((r) => r.name).join(", ")}`);
}
