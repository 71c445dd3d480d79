// definitionCaps reads OpMetadata.caps straight off the wire: it must agree with
// a full decode for any graph, and refuse bytes that are not a Definition.
import { describe, expect, it } from "vitest";
import { encodeMessage } from "./encode.js";
import { decodeDefinition, definitionCaps, diff, encodeDefinition, image, local, marshal, merge, mkfile, mount, scratch, type State } from "./index.js";
import { errorCode } from "./test-helpers.js";

function capsByDecoding(bytes: Uint8Array): Set<string> {
  const caps = new Set<string>();
  for (const meta of Object.values(decodeDefinition(bytes).metadata)) for (const [cap, on] of Object.entries(meta.caps ?? {})) if (on) caps.add(cap);
  return caps;
}

const file = { filename: "speck.yaml", data: "sources: [main.c]\n", language: "YAML" };
const base = image("alpine:3.22", { customName: "base" });
const ctx = local("context", { sessionId: "s", includePatterns: ["main.c"], followPaths: ["main.c"], sharedKeyHint: "context" });
const graphs: Record<string, State> = {
  "one image": base,
  "exec with mounts, network, source map": base.run({
    args: ["cc", "main.c"],
    network: "none",
    mounts: [mount.bind("/src", ctx, { readonly: true, selector: "main.c" }), mount.cache("/c", "cc", { sharing: "locked" }), mount.tmpfs("/tmp")],
    ignoreCache: true,
    sourceLocations: [{ source: file, ranges: [{ start: { line: 1 }, end: { line: 1 } }] }],
  }).root(),
  "file ops, merge and diff": merge([scratch().file([mkfile("/a", 0o644, "a")]), diff(base, base.file([mkfile("/b", 0o600, "b")]))]),
};

describe("definitionCaps", () => {
  for (const [name, state] of Object.entries(graphs)) {
    it(`agrees with a full decode: ${name}`, () => {
      const bytes = encodeDefinition(marshal(state, { platform: "linux/amd64" }));
      const caps = definitionCaps(bytes);
      expect(caps.size).toBeGreaterThan(0);
      expect(caps).toEqual(capsByDecoding(bytes));
    });
  }

  it("leaves out caps switched off and ignores fields it does not know", () => {
    const bytes = encodeMessage("Definition", {
      def: [new Uint8Array([1, 2, 3])],
      metadata: { "sha256:x": { ignoreCache: true, description: { "llb.customname": "n" }, caps: { "source.image": true, "exec.meta.network": false } } },
      Source: { infos: [{ filename: "f", data: new Uint8Array([9]), language: "" }] },
    });
    expect(definitionCaps(bytes)).toEqual(new Set(["source.image"]));
  });

  it("throws INVALID_DEFINITION for truncated bytes", () => {
    const bytes = encodeDefinition(marshal(graphs["one image"] as State, { platform: "linux/amd64" }));
    expect(errorCode(() => definitionCaps(bytes.subarray(0, bytes.length - 3)))).toBe("INVALID_DEFINITION");
  });
});
