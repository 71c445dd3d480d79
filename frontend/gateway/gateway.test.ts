// The transport and client against a real grpc-js server, through the real
// stdio relay (PassThrough pipes standing in for the frontend's stdin/stdout).
import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { decodeMessage, encodeMessage, type APICap, type Status } from "../../proto/gateway.js";
import { UserError } from "../errors.js";
import { ResultBuilder, type FrontendResult } from "./result.js";
import { ReturnOnce } from "./return-once.js";
import type { BuildFunction } from "./run.js";
import { connectedClient } from "./testing/connected-client.js";
import { runToExit } from "./testing/run-to-exit.js";
import { GatewayError, SOURCE_DETAIL_TYPE_URL } from "./status.js";
import { FakeStatus, MODERN_GATEWAY_CAPS, startFakeBridge, type FakeHandlers } from "./testing/fake-bridge.js";
import { jsonCodec } from "./testing/json-codec.js";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function setup(handlers: FakeHandlers = {}, gatewayCaps: APICap[] = MODERN_GATEWAY_CAPS, opts: [string, string][] = []) {
  return connectedClient(handlers, { gatewayCaps, opts }, (close) => cleanups.push(close));
}

const daemonStatus: Status = {
  code: 2,
  message: 'process "/bin/sh -c false" did not complete successfully: exit code: 1',
  details: [{ type_url: "github.com/moby/buildkit/errdefs.Vertex+json", value: Buffer.from('{"digest":"sha256:abc"}') }],
};

describe("client over the stdio relay", () => {
  it("solves with result return, array refs and the cache imports from the options", async () => {
    const { fake, client } = await setup(
      { Solve: () => ({ result: { ref: { id: "r1", def: Buffer.from("def") }, metadata: { k: Buffer.from("v") } } }) },
      MODERN_GATEWAY_CAPS,
      [["cache-from", "example/cache"]],
    );
    const res = await client.solve({ definition: Buffer.from("llb"), evaluate: true });
    expect(res.ref?.id).toBe("r1");
    expect(Buffer.from(res.ref?.def ?? []).toString()).toBe("def");
    expect(Buffer.from(res.metadata.get("k") ?? []).toString()).toBe("v");
    const req = fake.calls.find((c) => c.method === "Solve")?.request as Record<string, unknown>;
    expect(req).toMatchObject({ allowResultReturn: true, allowResultArrayRef: true, Evaluate: true });
    expect(Buffer.from(req.Definition as Uint8Array).toString()).toBe("llb");
    expect(req.CacheImports).toEqual([{ Type: "registry", Attrs: { ref: "example/cache" } }]);
  });

  it("emulates evaluate with StatFile when the daemon lacks gateway.solve.evaluate", async () => {
    const caps = MODERN_GATEWAY_CAPS.filter((c) => c.ID !== "gateway.solve.evaluate");
    const { fake, client } = await setup({ Solve: () => ({ result: { ref: { id: "r1" } } }), StatFile: () => ({ stat: { path: "." } }) }, caps);
    await client.solve({ definition: Buffer.from("llb"), evaluate: true });
    const methods = fake.calls.map((c) => c.method);
    expect(methods).toEqual(["Solve", "StatFile"]);
    expect(fake.calls[0]?.request).toMatchObject({ Evaluate: false });
    expect(fake.calls[1]?.request).toMatchObject({ Ref: "r1", Path: "." });
  });

  it("evaluates a ref with the Evaluate RPC, refusing an empty result", async () => {
    const { fake, client } = await setup({ Evaluate: () => ({}) });
    await client.evaluate({ id: "r9", def: new Uint8Array() });
    expect(fake.calls.at(-1)).toEqual({ method: "Evaluate", request: { Ref: "r9" } });
    await expect(client.evaluate(undefined)).rejects.toThrow(/empty filesystem/);
  });

  it("reads a file larger than grpc-js' 4 MiB default", async () => {
    const big = Buffer.alloc(6 << 20, 7);
    const { client } = await setup({ ReadFile: () => ({ Data: big }) });
    const data = await client.readFile({ id: "r", def: new Uint8Array() }, "big", { offset: 1, length: 2 });
    expect(data.length).toBe(big.length);
  });

  it("fails a ReadFile response over 16 MiB cleanly, and the connection keeps working", async () => {
    const { client } = await setup({ ReadFile: (r) => ({ Data: Buffer.alloc(r.FilePath === "huge" ? 17 << 20 : 3, 1) }) });
    const ref = { id: "r", def: new Uint8Array() };
    const err = await client.readFile(ref, "huge").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GatewayError);
    expect((err as GatewayError).code).toBe(8); // RESOURCE_EXHAUSTED
    expect((await client.readFile(ref, "small")).length).toBe(3);
  });

  it("keeps a failed call's google.rpc.Status byte for byte and returns it unchanged", async () => {
    const { fake, client, bridge } = await setup({
      Solve: () => {
        throw new FakeStatus(daemonStatus);
      },
    });
    const err = await client.solve({ definition: Buffer.from("x") }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GatewayError);
    expect((err as GatewayError).status).toEqual({ ...daemonStatus, details: [{ ...daemonStatus.details[0], value: expect.any(Uint8Array) }] });
    await new ReturnOnce(bridge, client.caps).error(new Error("while building", { cause: err }));
    const sent = fake.returns[0] ?? new Uint8Array();
    // ReturnRequest field 2: tag 0x12, length, then the status bytes exactly as the server encoded them.
    const expected = Buffer.from(encodeMessage("Status", daemonStatus));
    expect(Buffer.from(sent).subarray(sent.length - expected.length)).toEqual(expected);
    const back = decodeMessage("ReturnRequest", sent).error;
    expect(back && Buffer.from(encodeMessage("Status", back))).toEqual(expected);
  });

  it("turns a UserError into Unknown with one errdefs.Source+json detail per located problem", async () => {
    const { fake, bridge, client } = await setup();
    const file = { name: "speck.yaml", data: Buffer.from("a: 1\nb: 2\n"), language: "YAML" };
    const err = new UserError(
      [
        { message: "bad a", span: { start: { line: 1, column: 1 }, end: { line: 1, column: 2 } } },
        { message: "no location" },
        { message: "bad b", span: { start: { line: 2, column: 1 }, end: { line: 2, column: 5 } }, hint: "use c" },
      ],
      file,
    );
    await new ReturnOnce(bridge, client.caps).error(err);
    const status = decodeMessage("ReturnRequest", fake.returns[0] ?? new Uint8Array()).error;
    expect(status?.code).toBe(2);
    expect(status?.message).toBe("speck.yaml:1:1: bad a\nspeck.yaml: no location\nspeck.yaml:2:1: bad b (use c)");
    expect(status?.details.map((d) => d.type_url)).toEqual([SOURCE_DETAIL_TYPE_URL, SOURCE_DETAIL_TYPE_URL]);
    expect(JSON.parse(Buffer.from(status?.details[1]?.value ?? []).toString())).toEqual({
      info: { filename: "speck.yaml", data: file.data.toString("base64"), language: "YAML" },
      ranges: [{ start: { line: 2 }, end: { line: 2 } }],
    });
  });

  it("reports any other exception as Unknown with its message only", async () => {
    const { fake, bridge, client } = await setup();
    await new ReturnOnce(bridge, client.caps).error(new TypeError("boom"));
    const status = decodeMessage("ReturnRequest", fake.returns[0] ?? new Uint8Array()).error;
    expect(status).toEqual({ code: 2, message: "boom", details: [] });
  });

  it("sends Return once; a second call throws without sending", async () => {
    const { fake, bridge, client } = await setup();
    const once = new ReturnOnce(bridge, client.caps);
    await once.result(new ResultBuilder(false).finalize());
    await expect(once.error(new Error("late"))).rejects.toThrow(/already called/);
    await expect(once.result(new ResultBuilder(false).finalize())).rejects.toThrow(/already called/);
    expect(fake.returns).toHaveLength(1);
    expect(decodeMessage("ReturnRequest", fake.returns[0] ?? new Uint8Array())).toEqual({ result: { ref: { id: "", def: expect.any(Uint8Array) }, metadata: {}, attestations: {} } });
  });

  const platform = { os: "linux", architecture: "amd64" };
  const withSbom = (): FrontendResult =>
    new ResultBuilder(false)
      .addPlatform(platform, { id: "img", def: new Uint8Array() }, { os: "linux", architecture: "amd64" })
      .addAttestation(platform, { ref: { id: "sbom", def: new Uint8Array() }, path: "/sbom.spdx.json", predicateType: "https://spdx.dev/Document", metadata: new Map([["reason", new TextEncoder().encode("sbom")]]) })
      .finalize();

  it("refuses to return attestations to a daemon without reference.attestations", async () => {
    const { fake, bridge, client } = await setup({}, MODERN_GATEWAY_CAPS.filter((c) => c.ID !== "reference.attestations"));
    await expect(new ReturnOnce(bridge, client.caps).result(withSbom())).rejects.toThrow(/reference\.attestations/);
    expect(fake.returns).toHaveLength(0);
  });

  it("returns attestations keyed by platform, as in-toto files in a ref", async () => {
    const { fake, bridge, client } = await setup();
    await new ReturnOnce(bridge, client.caps).result(withSbom());
    const sent = decodeMessage("ReturnRequest", fake.returns[0] ?? new Uint8Array()).result;
    expect(sent?.ref?.id).toBe("img");
    expect(sent?.attestations).toEqual({
      "linux/amd64": {
        attestation: [
          {
            kind: 0,
            metadata: { reason: new TextEncoder().encode("sbom") },
            ref: { id: "sbom", def: expect.any(Uint8Array) },
            path: "/sbom.spdx.json",
            inTotoPredicateType: "https://spdx.dev/Document",
            inTotoSubjects: [],
          },
        ],
      },
    });
  });

  it("resolves image config via ResolveSourceMeta when available, else ResolveImageConfig", async () => {
    const meta = await setup({
      ResolveSourceMeta: (r) => ({
        Source: Buffer.from(JSON.stringify({ identifier: "docker-image://docker.io/library/alpine:3@sha256:1" })),
        Image: { Digest: "sha256:1", Config: Buffer.from(`{"os":"linux","src":${Buffer.from(r.Source).toString()}}`) },
      }),
    });
    const got = await meta.client.resolveImageConfig("docker.io/library/alpine:3", { platform: { os: "linux", architecture: "arm64" }, resolveMode: "pull", logName: "load" });
    expect(got.ref).toBe("docker.io/library/alpine:3@sha256:1");
    expect(JSON.parse(Buffer.from(got.config).toString()).src).toEqual({ identifier: "docker-image://docker.io/library/alpine:3" });
    expect(meta.fake.calls.at(-1)?.request).toMatchObject({ ResolveMode: "pull", LogName: "load" });

    const old = await setup({ ResolveImageConfig: () => ({ Digest: "sha256:2", Config: Buffer.from("{}") }) }, MODERN_GATEWAY_CAPS.filter((c) => c.ID !== "source.metaresolver"));
    const got2 = await old.client.resolveImageConfig("docker.io/library/busybox:latest");
    expect(got2).toMatchObject({ ref: "docker.io/library/busybox:latest", digest: "sha256:2" });
  });

  it("sends warnings only with gateway.warnings", async () => {
    const on = await setup({ Warn: () => ({}) });
    expect(await on.client.warn({ digest: "sha256:d", short: "careful", ranges: [{ start: { line: 3, column: 1 }, end: { line: 3, column: 4 } }] })).toBe(true);
    expect(on.fake.calls.at(-1)?.request).toMatchObject({ digest: "sha256:d", level: 1n });
    const off = await setup({ Warn: () => ({}) }, MODERN_GATEWAY_CAPS.filter((c) => c.ID !== "gateway.warnings"));
    expect(await off.client.warn({ digest: "sha256:d", short: "careful" })).toBe(false);
    expect(off.fake.calls.some((c) => c.method === "Warn")).toBe(false);
  });
});

describe("run()", () => {
  async function runWith(handlers: FakeHandlers, build: BuildFunction, env: NodeJS.ProcessEnv = {}) {
    const fake = await startFakeBridge(handlers);
    cleanups.push(() => fake.close());
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const code = await runToExit(build, { codec: jsonCodec, env, stdin, stdout, pingTimeoutMs: 1000 }, () => fake.attach(stdout, stdin));
    return { code, fake, stdin };
  }

  it("passes options from the environment, Returns the result once, exits 0", async () => {
    const { code, fake } = await runWith({}, async (c) => new ResultBuilder(false).setMetadata("t", c.options.target ?? "").finalize(), {
      BUILDKIT_FRONTEND_OPT_0: "target=debug-llb",
    });
    expect(code).toBe(0);
    expect(fake.returns).toHaveLength(1);
    expect(Buffer.from(decodeMessage("ReturnRequest", fake.returns[0] ?? new Uint8Array()).result?.metadata.t ?? []).toString()).toBe("debug-llb");
  });

  it("exits 1 when Ping never answers", async () => {
    const { code, fake } = await runWith({ Ping: () => new Promise(() => {}) }, async () => ({ metadata: new Map() }));
    expect(code).toBe(1);
    expect(fake.returns).toHaveLength(0);
  });
});
