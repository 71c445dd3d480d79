import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { allFieldPaths } from "./fields.js";
import { specSchema } from "./schema.js";

const FILE = new URL("../../schema/speck.schema.json", import.meta.url);

describe("schema/speck.schema.json", () => {
  it("is exactly what the field table generates (UPDATE_SCHEMA=1 rewrites it)", () => {
    const want = `${JSON.stringify(specSchema(), null, 2)}\n`;
    // An update never passes when it changed the file: the rewrite is reported as a failure to review.
    if (process.env["UPDATE_SCHEMA"] === "1" && readFileSync(FILE, "utf8") !== want) {
      writeFileSync(FILE, want);
      expect.fail("rewrote schema/speck.schema.json: review the diff, then run without UPDATE_SCHEMA");
    }
    expect(readFileSync(FILE, "utf8")).toBe(want);
  });

  it("describes every key of the table, nested ones included", () => {
    const schema = JSON.parse(readFileSync(FILE, "utf8")) as Record<string, unknown>;
    const lookup = (path: string): unknown => {
      let node: unknown = schema;
      for (const key of path.split(".")) {
        let obj = node as { properties?: Record<string, unknown>; items?: { properties?: Record<string, unknown> } };
        if (!obj.properties && obj.items) obj = obj.items;
        node = obj.properties?.[key];
      }
      return node;
    };
    const paths = allFieldPaths();
    expect(paths).toContain("image.files.mode");
    for (const p of paths) expect(lookup(p), p).toMatchObject({ description: expect.any(String) });
  });
});
