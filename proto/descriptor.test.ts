import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildDescriptor, schemaPath, SCHEMAS } from "./descriptor-source.js";

describe("committed descriptors", () => {
  for (const schema of SCHEMAS) {
    it(`${schema.descriptor} matches ${schema.proto} (run \`npx tsx proto/generate-descriptor.ts\`)`, () => {
      const committed: unknown = JSON.parse(readFileSync(schemaPath(schema.descriptor), "utf8"));
      expect(committed).toEqual(JSON.parse(JSON.stringify(buildDescriptor(schema))));
    });
  }
});
