// The JSON Schema (draft 2020-12) for editors, generated from the field table
// so it cannot drift from what the parser accepts. schema/speck.schema.json is
// this function's output; a unit test keeps the two identical.

import { SPEC_FIELDS, type Fields, type Shape } from "./fields.js";

type Json = { [key: string]: unknown };

function shapeSchema(shape: Shape): Json {
  switch (shape.kind) {
    case "scalar": {
      const out: Json = { type: shape.json.length === 1 ? shape.json[0] : [...shape.json] };
      if (shape.enum) out["enum"] = [...shape.enum];
      if (shape.pattern) out["pattern"] = shape.pattern;
      if (shape.examples) out["examples"] = [...shape.examples];
      return out;
    }
    case "list":
      return { type: "array", items: shapeSchema(shape.items), ...(shape.minItems ? { minItems: shape.minItems } : {}) };
    case "map":
      return { type: "object", additionalProperties: { type: ["string", "number", "boolean", "null"] } };
    case "list-or-map":
      return {
        oneOf: [
          { type: "array", items: { type: "string" } },
          { type: "object", additionalProperties: { type: ["string", "number", "boolean", "null"] } },
        ],
      };
    case "object":
      return objectSchema(shape.fields, shape.required);
  }
}

function objectSchema(fields: Fields, required?: readonly string[]): Json {
  const properties: Json = {};
  for (const [key, f] of Object.entries(fields)) properties[key] = { description: f.doc, ...shapeSchema(f.shape) };
  return { type: "object", properties, ...(required?.length ? { required: [...required] } : {}), additionalProperties: false };
}

export function specSchema(): Json {
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    title: "speck build file",
    description: "A speck build file: YAML after a `# syntax=` line, turned by the speck BuildKit frontend into a static C/C++ binary in a scratch image.",
    ...objectSchema(SPEC_FIELDS, ["sources"]),
  };
}
