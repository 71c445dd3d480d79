// Regenerates proto/*.descriptor.json after a .proto file changed:
//   npx tsx proto/generate-descriptor.ts
import { writeFileSync } from "node:fs";
import { buildDescriptor, schemaPath, SCHEMAS } from "./descriptor-source.js";

for (const schema of SCHEMAS) {
  const out = schemaPath(schema.descriptor);
  writeFileSync(out, `${JSON.stringify(buildDescriptor(schema), null, 1)}\n`);
  process.stderr.write(`wrote ${out}\n`);
}
