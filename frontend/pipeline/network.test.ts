import { describe, expect, it } from "vitest";
import { UserError } from "../errors.js";
import { describeNetwork, downloadNetwork, packageNetwork, parseNetworkMode, proxyFromBuildArgs } from "./network.js";

const file = { name: "speck.yaml", data: new TextEncoder().encode("sources: [.]\n"), language: "YAML" };
const download = { op: "the fetch op (fetch --all)", what: "the packages the lock names", instead: "give them as a directory", file, span: { start: { line: 1, column: 1 }, end: { line: 1, column: 8 } } };

describe("the build's network", () => {
  it("takes force-network-mode as BuildKit's dockerui does: none given or sandbox is the sandbox, host and none as named", () => {
    expect(parseNetworkMode(undefined)).toBe("sandbox");
    expect(parseNetworkMode("")).toBe("sandbox");
    expect(parseNetworkMode("sandbox")).toBe("sandbox");
    expect(parseNetworkMode("host")).toBe("host");
    expect(parseNetworkMode("none")).toBe("none");
    expect(() => parseNetworkMode("bridge")).toThrow(/--network=bridge: speck takes --network=host or --network=none/);
  });

  it("reads the proxy build args in any case, the lower-case spelling winning as in the Dockerfile frontend (keys sorted)", () => {
    expect(proxyFromBuildArgs(new Map([["SOURCE_DATE_EPOCH", "1"]]))).toBeUndefined();
    expect(proxyFromBuildArgs(new Map([["HTTP_PROXY", "http://a:1"], ["http_proxy", "http://b:2"], ["no_proxy", "127.0.0.1"], ["ALL_PROXY", "socks5://c:3"], ["HTTPS_PROXY", "http://d:4"], ["FTP_PROXY", "http://e:5"]]))).toEqual({
      httpProxy: "http://b:2",
      httpsProxy: "http://d:4",
      ftpProxy: "http://e:5",
      noProxy: "127.0.0.1",
      allProxy: "socks5://c:3",
    });
  });

  it("gives an op that must download the build's mode and proxies, and refuses --network=none with what to give instead", () => {
    expect(downloadNetwork({ mode: "sandbox" }, download)).toEqual({ network: "sandbox" });
    expect(downloadNetwork({ mode: "host", proxy: { httpProxy: "http://127.0.0.1:3128" } }, download)).toEqual({ network: "host", proxyEnv: { httpProxy: "http://127.0.0.1:3128" } });
    let error: unknown;
    try {
      downloadNetwork({ mode: "none" }, download);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toBe(
      "speck.yaml:1:1: --network=none, but the fetch op (fetch --all) downloads the packages the lock names and needs a network (give them as a directory; or leave out --network=none (--network=host gives it the host's own network))",
    );
  });

  it("keeps --network=none for an op that may download (apk from a local repository needs none)", () => {
    expect(packageNetwork({ mode: "none" })).toEqual({ network: "none" });
    expect(packageNetwork({ mode: "host" })).toEqual({ network: "host" });
  });

  it("says the mode in words for explain, proxies included", () => {
    expect(describeNetwork({ mode: "sandbox" })).toMatch(/^the build's sandbox network/);
    expect(describeNetwork({ mode: "host", proxy: { httpsProxy: "http://127.0.0.1:3128" } })).toBe("the host's network (--network=host, NetMode HOST); proxies httpsProxy=http://127.0.0.1:3128 (left out of the cache key)");
  });
});
