// Regenerates gateway.descriptor.json after a .proto file changed:
//   npx tsx proto/generate-descriptor.ts
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { buildGatewayDescriptor } from "./descriptor-source.js";

const out = fileURLToPath(new URL("./gateway.descriptor.json", import.meta.url));
writeFileSync(out, `${JSON.stringify(buildGatewayDescriptor(), null, 1)}\n`);
process.stderr.write(`wrote ${out}\n`);
