// `--network` and the proxy build args through the real build function and a
// fake daemon: buildx's frontend options reach the ops that download (the
// toolchain's apk installs here), and only those.

import { describe, expect, it } from "vitest";
import * as pb from "../../proto/llb.js";
import { fakeBuild, type FakeEntry } from "./testing/fake-daemon.js";

const FILES: Record<string, FakeEntry> = { "speck.yaml": { data: "sources: [main.c]\n" }, "main.c": { data: "int main(void){return 0;}\n" } };
const ALPINE = () => ({
  ResolveSourceMeta: () => ({ Source: new Uint8Array(), Image: { Digest: `sha256:${"a".repeat(64)}`, Config: Buffer.from('{"architecture":"amd64","os":"linux","config":{}}') } }),
});

const BINARY_UNREAD = "open main: no such file or directory";

/** Every exec op of the Solve requests: its argv's first word, NetMode and proxy_env. */
function execs(definitions: readonly Uint8Array[]): { tool: string; network: number; proxy: pb.ProxyEnv | undefined }[] {
  const out = new Map<string, { tool: string; network: number; proxy: pb.ProxyEnv | undefined }>();
  for (const d of definitions) {
    for (const bytes of pb.decodeMessage<pb.Definition>("Definition", d).def ?? []) {
      const op = pb.decodeOp(bytes);
      if (op.exec) out.set(Buffer.from(bytes).toString("base64"), { tool: op.exec.meta?.args?.[0] ?? "", network: op.exec.network ?? 0, proxy: op.exec.meta?.proxyEnv });
    }
  }
  return [...out.values()];
}

describe("--network and proxies, from buildx's frontend options", () => {
  it("force-network-mode=host and HTTPS_PROXY reach the apk installs; every compile stays at NONE with no proxy", async () => {
    const out = await fakeBuild({ files: FILES, opts: ["filename=speck.yaml", "platform=linux/amd64", "force-network-mode=host", "build-arg:HTTPS_PROXY=http://127.0.0.1:3128"], handlers: ALPINE });
    // The fake daemon has no binary to read after the compile: the build stops there, its graph sent.
    expect(out.error?.message).toBe(BINARY_UNREAD);
    const all = execs(out.definitions);
    const apk = all.filter((e) => e.tool === "apk");
    expect(apk.length).toBeGreaterThan(0);
    for (const e of apk) expect(e).toEqual({ tool: "apk", network: pb.NetMode.HOST, proxy: { httpsProxy: "http://127.0.0.1:3128" } });
    const others = all.filter((e) => e.tool !== "apk");
    expect(others.length).toBeGreaterThan(0);
    for (const e of others) expect({ network: e.network, proxy: e.proxy }).toEqual({ network: pb.NetMode.NONE, proxy: undefined });
  });

  it("no --network: the apk installs keep the sandbox network (UNSET on the wire), as before", async () => {
    const out = await fakeBuild({ files: FILES, opts: ["filename=speck.yaml", "platform=linux/amd64"], handlers: ALPINE });
    expect(out.error?.message).toBe(BINARY_UNREAD);
    const apk = execs(out.definitions).filter((e) => e.tool === "apk");
    expect(apk.map((e) => e.network)).toEqual(apk.map(() => pb.NetMode.UNSET));
  });

  it("a force-network-mode speck does not know is refused with what it takes", async () => {
    const out = await fakeBuild({ files: FILES, opts: ["filename=speck.yaml", "platform=linux/amd64", "force-network-mode=bridge"], handlers: ALPINE });
    expect(out.error?.message).toContain("--network=bridge: speck takes --network=host or --network=none");
  });
});
