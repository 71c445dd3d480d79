// `--call outline` through the real build function on the fake daemon: the
// answer is result metadata in BuildKit's outline shape, nothing is solved,
// and the describe answer lists the request.

import { describe, expect, it } from "vitest";
import { decodeMessage } from "../../proto/gateway.js";
import { fakeBuild, type FakeBuildOutcome, type FakeEntry } from "./testing/fake-daemon.js";

const FILES: Record<string, FakeEntry> = { "speck.yaml": { data: "sources: [main.c]\n" }, "main.c": { data: "int main(void){return 0;}\n" } };

function metadata(out: FakeBuildOutcome): Record<string, string> {
  const ret = out.fake.returns[0];
  if (ret === undefined) throw new Error("the frontend returned nothing");
  const m = decodeMessage("ReturnRequest", ret).result?.metadata ?? {};
  return Object.fromEntries(Object.entries(m).map(([k, v]) => [k, Buffer.from(v).toString("utf8")]));
}

describe("frontend.outline", () => {
  it("lists the build args speck reads with descriptions and the values this build uses, for the default target", async () => {
    const out = await fakeBuild({ files: FILES, opts: ["filename=speck.yaml", "requestid=frontend.outline", "build-arg:SOURCE_DATE_EPOCH=1700000000"] });
    expect(out.error).toBeUndefined();
    expect(out.definitions).toHaveLength(0);
    const m = metadata(out);
    expect(m["version"]).toBe("1.0.0");
    const json = JSON.parse(m["result.json"] ?? "") as { name: string; description: string; args: { name: string; description: string; value?: string }[] };
    expect(json.name).toBe("image");
    expect(json.description).toBe("the scratch image with the static binary");
    expect(json.args.map((a) => [a.name, a.value])).toEqual([
      ["SOURCE_DATE_EPOCH", "1700000000"],
      ["BUILDKIT_MULTI_PLATFORM", "false"],
      // No default: left out, as Go's omitempty leaves out an empty value.
      ["BUILDKIT_ATTEST_SBOM", undefined],
    ]);
    for (const a of json.args) expect(a.description.length).toBeGreaterThan(20);
    expect(m["result.txt"]).toMatch(/^TARGET: +image\n/);
    expect(m["result.txt"]).toMatch(/\nBUILD ARG +VALUE +DESCRIPTION\nSOURCE_DATE_EPOCH +1700000000 +seconds since 1970/);
  });

  it("without SOURCE_DATE_EPOCH shows the 0 speck uses, and answers for --target debug-llb", async () => {
    const out = await fakeBuild({ files: FILES, opts: ["filename=speck.yaml", "requestid=frontend.outline", "target=debug-llb"] });
    const json = JSON.parse(metadata(out)["result.json"] ?? "") as { name: string; args: { name: string; value?: string }[] };
    expect(json.name).toBe("debug-llb");
    expect(json.args.find((a) => a.name === "SOURCE_DATE_EPOCH")?.value).toBe("0");
  });

  it("refuses an unknown target as a build would, naming the targets", async () => {
    const out = await fakeBuild({ files: FILES, opts: ["filename=speck.yaml", "requestid=frontend.outline", "target=imgae"] });
    expect(out.error?.message).toContain('unknown target "imgae": speck builds "image" or "debug-llb"');
  });

  it("is listed by frontend.subrequests.describe with its target option", async () => {
    const out = await fakeBuild({ files: FILES, opts: ["requestid=frontend.subrequests.describe"] });
    const list = JSON.parse(metadata(out)["result.json"] ?? "") as { name: string; opts?: { name: string }[] }[];
    const entry = list.find((r) => r.name === "frontend.outline");
    expect(entry?.opts?.map((o) => o.name)).toEqual(["target"]);
    expect(metadata(out)["result.txt"]).toMatch(/^frontend\.outline +List the build arguments/m);
  });
});
