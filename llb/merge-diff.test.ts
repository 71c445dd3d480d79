import { describe, expect, it } from "vitest";
import { diff, image, local, merge, mkdir, scratch } from "./index.js";
import { decodeAll } from "./test-helpers.js";

const a = image("alpine").dir("/w");
const b = local("context", { sessionId: "s" });

describe("merge()", () => {
  it("one Op.input per state, in order, MergeInput i, no platform, cap mergeop", () => {
    const d = decodeAll(merge([a, scratch(), b, a]));
    const op = d.result;
    expect((op.inputs ?? []).map((i) => d.byDigest(i.digest).source?.identifier)).toEqual([
      "docker-image://docker.io/library/alpine:latest",
      "local://context",
      "docker-image://docker.io/library/alpine:latest",
    ]);
    expect(op.merge?.inputs?.map((m) => m.input ?? 0n)).toEqual([0n, 1n, 2n]);
    expect(op.platform).toBeUndefined();
    expect(d.caps(op)).toEqual(["mergeop"]);
  });

  it("drops scratch: none gives scratch, one gives that state, and keeps the first state's metadata", () => {
    expect(merge([scratch(), scratch()]).isScratch()).toBe(true);
    expect(merge([scratch(), b])).toBe(b);
    expect(merge([a, b]).getDir()).toBe("/w");
  });
});

describe("diff()", () => {
  it("lower 0, upper 1, cap diffop", () => {
    const upper = a.file([mkdir("/x", 0o755)]);
    const d = decodeAll(diff(a, upper));
    expect(d.result.diff).toEqual({ lower: {}, upper: { input: 1n } });
    expect(d.result.inputs).toHaveLength(2);
    expect(d.caps(d.result)).toEqual(["diffop"]);
  });

  it("scratch upper is -1; scratch lower returns upper", () => {
    expect(decodeAll(diff(a, scratch())).result.diff).toEqual({ lower: {}, upper: { input: -1n } });
    expect(diff(scratch(), b)).toBe(b);
    expect(diff(scratch(), scratch()).isScratch()).toBe(true);
  });
});
