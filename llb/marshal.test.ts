import { describe, expect, it } from "vitest";
import * as pb from "../proto/llb.js";
import {
  copy,
  decodeDefinition,
  decodePlatform,
  decodeSourceOp,
  digestOf,
  encodeDefinition,
  encodePlatform,
  encodeRange,
  encodeSourceInfo,
  encodeSourceOp,
  fromDefinition,
  image,
  local,
  marshal,
  mkdir,
  mkfile,
  mount,
  scratch,
  sourceOpOf,
  toJSON,
  type SourceInfo,
  type State,
} from "./index.js";
import { decodeAll, errorCode } from "./test-helpers.js";


const file: SourceInfo = { filename: "speck.yaml", data: "name: app\nsources: [main.c]\n", language: "YAML" };

function graph(): State {
  const base = image("alpine", { customName: "[internal] base" });
  const ctx = local("context", { sessionId: "s", sourceLocations: [{ source: file, ranges: [{ start: { line: 2 }, end: { line: 2 } }] }] });
  const es = base.dir("/src").run({
    args: ["cc", "main.c"],
    mounts: [mount.bind("/src", ctx, { readonly: true }), mount.bind("/out", scratch()), mount.cache("/c", "cc")],
    ignoreCache: true,
    progressGroup: { id: "g1", name: "compile" },
    description: { "com.example.step": "compile" },
    sourceLocations: [{ source: { ...file }, ranges: [{ start: { line: 1, character: 0 }, end: { line: 2, character: 5 } }] }],
  });
  const out = es.getMount("/out");
  return scratch().file([mkdir("/etc", 0o755), copy(out, "/app", "/app"), copy(base, "/etc/passwd", "/etc/passwd")]);
}

describe("marshal()", () => {
  it("emits inputs before their users (post-order), each op once, terminal last", () => {
    const d = decodeAll(graph());
    expect(d.ops.map((o) => (o.source ? `src:${o.source.identifier}` : o.exec ? "exec" : o.file ? "file" : "terminal"))).toEqual([
      "src:docker-image://docker.io/library/alpine:latest",
      "src:local://context",
      "exec",
      "file",
      "terminal",
    ]);
    expect(new Set(d.digests).size).toBe(d.digests.length);
    for (const [i, op] of d.ops.entries()) {
      for (const input of op.inputs ?? []) expect(d.digests.indexOf(input.digest ?? "")).toBeLessThan(i);
    }
    const terminal = d.ops.at(-1) as pb.Op;
    expect(Object.keys(terminal)).toEqual(["inputs"]);
  });

  it("keys metadata by digest: names, descriptions, ignore-cache, progress groups, caps", () => {
    const d = decodeAll(graph());
    const [img, , exec, , term] = d.digests;
    expect(d.def.metadata[img as string]).toEqual({ description: { "llb.customname": "[internal] base" }, caps: { "source.image": true } });
    const md = d.def.metadata[exec as string];
    expect(md?.ignoreCache).toBe(true);
    expect(md?.description).toEqual({ "com.example.step": "compile" });
    expect(md?.progressGroup).toEqual({ id: "g1", name: "compile" });
    expect(Object.keys(d.def.metadata[term as string]?.caps ?? {}).sort()).toEqual(["constraints", "meta.description", "meta.ignorecache", "platform"]);
    // Every key is the digest of an op we sent.
    for (const k of Object.keys(d.def.metadata)) expect(d.digests).toContain(k);
  });

  it("collects source locations by digest with one SourceInfo for equal files", () => {
    const d = decodeAll(graph());
    const src = d.def.source;
    expect(src?.infos).toHaveLength(1);
    expect(src?.infos?.[0]).toMatchObject({ filename: "speck.yaml", language: "YAML" });
    const [, ctx, exec] = d.digests;
    expect(src?.locations?.[ctx as string]).toEqual({ locations: [{ sourceIndex: 0, ranges: [{ start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }] }] });
    expect(src?.locations?.[exec as string]?.locations?.[0]?.ranges?.[0]).toEqual({ start: { line: 1, character: 0 }, end: { line: 2, character: 5 } });
  });

  it("gives identical bytes 100 times, also for separately built equal graphs", () => {
    const first = encodeDefinition(marshal(graph(), { platform: "linux/amd64" }));
    const st = graph();
    for (let i = 0; i < 100; i++) {
      expect(Buffer.from(encodeDefinition(marshal(i % 2 ? st : graph(), { platform: "linux/amd64" }))).equals(first)).toBe(true);
    }
  });

  it("never changes a state it derives from", () => {
    const base = image("alpine").addEnv("A", "1").dir("/w");
    const before = JSON.stringify(toJSON(marshal(base, { platform: "linux/amd64" })));
    const derived = base.addEnv("A", "2").addEnv("B", "3").delEnv("A").dir("x").user("u").platform("linux/arm64").network("host").hostname("h");
    derived.run({ args: ["true"], env: { C: "4" } }).root().file([mkdir("/x", 0o755)]);
    expect(base.env()).toEqual(["A=1"]);
    expect(base.getDir()).toBe("/w");
    expect(base.getUser()).toBeUndefined();
    expect(base.getPlatform()).toBeUndefined();
    expect(base.getNetwork()).toBe("sandbox");
    expect(derived.getDir()).toBe("/w/x");
    expect(JSON.stringify(toJSON(marshal(base, { platform: "linux/amd64" })))).toBe(before);
    expect(Object.isFrozen(base)).toBe(true);
  });

  it("refuses scratch with EMPTY_DEFINITION", () => {
    expect(errorCode(() => marshal(scratch(), { platform: "linux/amd64" }))).toBe("EMPTY_DEFINITION");
    expect(() => marshal(scratch(), { platform: "linux/amd64" })).toThrow(/empty Definition/);
  });

  it("checks caps against the daemon's when given", () => {
    const st = image("alpine").run({ args: ["x"], mounts: [mount.cache("/c", "c")] }).root();
    expect(errorCode(() => marshal(st, { platform: "linux/amd64", caps: ["source.image", "exec.meta.base", "exec.mount.bind", "constraints", "platform"] }))).toBe(
      "CAP_NOT_SUPPORTED",
    );
    expect(() => marshal(st, { platform: "linux/amd64", caps: [] })).toThrow(/needs the LLB cap "source.image"/);
    const all = ["source.image", "exec.meta.base", "exec.mount.bind", "exec.mount.cache", "exec.mount.cache.sharing", "constraints", "platform"];
    expect(marshal(st, { platform: "linux/amd64", caps: all }).def).toHaveLength(3);
  });

  it("survives a 5,000-step chain (no recursion limit)", () => {
    let st = image("alpine");
    for (let i = 0; i < 5000; i++) st = st.file([mkfile(`/f${i}`, 0o644, "")]);
    expect(marshal(st, { platform: "linux/amd64" }).def).toHaveLength(5002);
  });
});

describe("Definition seams", () => {
  it("encodes and decodes a Definition without loss", () => {
    const def = marshal(graph(), { platform: "linux/amd64" });
    const back = decodeDefinition(encodeDefinition(def));
    expect(back.def.map(digestOf)).toEqual(def.def.map(digestOf));
    expect(back.metadata).toEqual(def.metadata);
    expect(back.source?.infos?.[0]?.filename).toBe("speck.yaml");
    expect(Buffer.from(back.source?.infos?.[0]?.data ?? []).toString()).toBe(file.data);
  });

  it("encodes Platform, SourceInfo, Range and SourceOp", () => {
    expect(decodePlatform(encodePlatform({ os: "linux", architecture: "arm", variant: "v7" }))).toEqual({ os: "linux", architecture: "arm", variant: "v7" });
    expect(pb.decodeMessage<pb.SourceInfo>("SourceInfo", encodeSourceInfo(file))).toMatchObject({ filename: "speck.yaml", language: "YAML" });
    expect(pb.decodeMessage<pb.Range>("Range", encodeRange({ start: { line: 3 }, end: { line: 4, character: 2 } }))).toEqual({
      start: { line: 3 },
      end: { line: 4, character: 2 },
    });
    const so = sourceOpOf(image("alpine", { resolveMode: "pull" }));
    expect(so).toEqual({ identifier: "docker-image://docker.io/library/alpine:latest", attrs: { "image.resolvemode": "pull" } });
    expect(pb.decodeMessage<pb.SourceOp>("SourceOp", encodeSourceOp(so as NonNullable<typeof so>))).toEqual(so);
    expect(sourceOpOf(scratch())).toBeUndefined();
    expect(decodeSourceOp(encodeSourceOp({ identifier: "local://x" }))).toEqual({ identifier: "local://x", attrs: {} });
  });

  it("embeds the Definition that loaded a source file", () => {
    const loader = encodeDefinition(marshal(local("dockerfile", { sessionId: "s" }), { platform: "linux/amd64" }));
    const info = pb.decodeMessage<pb.SourceInfo>("SourceInfo", encodeSourceInfo({ ...file, definition: loader }));
    expect(info.definition?.def).toHaveLength(2);
    expect(encodeDefinition(decodeDefinition(loader))).toEqual(loader);
  });

  it("fromDefinition splices foreign ops byte for byte and builds on them", () => {
    const foreignDef = marshal(graph(), { platform: "linux/amd64" });
    const foreign = fromDefinition(encodeDefinition(foreignDef));
    const st = foreign.file([mkfile("/extra", 0o644, "x")]);
    const d = decodeAll(st);
    const foreignOps = foreignDef.def.slice(0, -1);
    // Every foreign op is carried as is, first, in its order.
    expect(d.def.def.slice(0, foreignOps.length).map(digestOf)).toEqual(foreignOps.map(digestOf));
    // The new op reads the foreign result (terminal's input).
    const foreignResult = pb.decodeOp(foreignDef.def.at(-1) as Uint8Array).inputs?.[0];
    expect(d.result.inputs?.[0]?.digest).toBe(foreignResult?.digest);
    // Foreign metadata and source map come along.
    for (const k of Object.keys(foreignDef.metadata)) {
      if (k !== digestOf(foreignDef.def.at(-1) as Uint8Array)) expect(d.def.metadata[k]).toEqual(foreignDef.metadata[k]);
    }
    expect(d.def.source?.infos).toHaveLength(1);
    for (const k of Object.keys(d.def.metadata)) expect(d.digests).toContain(k);
    // Spliced again as-is: same bytes.
    expect(decodeAll(foreign).def.def.map(digestOf)).toEqual(foreignDef.def.map(digestOf));
  });

  it("fromDefinition rejects an empty Definition", () => {
    expect(errorCode(() => fromDefinition({ def: [], metadata: {} }))).toBe("INVALID_DEFINITION");
  });
});

describe("toJSON()", () => {
  it("shows binary data as base64 and int64 beyond 2^53 as decimal strings", () => {
    const t = 1_700_000_000_123_456_789n;
    const ops = toJSON(marshal(scratch().file([mkfile("/bin", 0o755, new Uint8Array([0xff, 0xfe]), { timestamp: t })]), { platform: "linux/amd64" }));
    expect(ops[0]?.op).toEqual({
      actions: [{ input: -1, secondaryInput: -1, output: 0, mkfile: { path: "/bin", mode: 0o755, data: { base64: "//4=" }, timestamp: "1700000000123456789" } }],
    });
  });

  it("dumps one object per op, stable across runs", () => {
    const a = toJSON(marshal(graph(), { platform: "linux/amd64" }));
    const b = toJSON(marshal(graph(), { platform: "linux/amd64" }));
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(a.map((o) => o.kind)).toEqual(["source", "source", "exec", "file", "terminal"]);
    const exec = a[2];
    const mounts = (exec?.op as { mounts: { dest: string; input: number; output: number }[] }).mounts;
    expect(mounts.map((m) => [m.dest, m.input, m.output])).toEqual([
      ["/", 0, 0],
      ["/c", -1, -1],
      ["/out", -1, 1],
      ["/src", 1, -1],
    ]);
    expect(exec?.source).toEqual([{ file: "speck.yaml", ranges: ["1:0-2:5"] }]);
    expect(a[3]?.op).toMatchObject({ actions: [{ input: -1, secondaryInput: -1, output: -1 }, { input: 2, secondaryInput: 0, output: -1 }, { input: 3, secondaryInput: 1, output: 0 }] });
  });
});
