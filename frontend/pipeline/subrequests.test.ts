// The subrequest table on the fake daemon: what `--call=subrequests.describe`
// lists is exactly what the dispatch answers, and nothing else is answered.

import { describe, expect, it } from "vitest";
import { decodeMessage } from "../../proto/gateway.js";
import { fakeBuild, type FakeBuildOutcome, type FakeEntry } from "./testing/fake-daemon.js";

const FILES: Record<string, FakeEntry> = { "speck.yaml": { data: "sources: [main.c]\n" }, "main.c": { data: "int main(void){return 0;}\n" } };

async function call(request: string): Promise<FakeBuildOutcome & { metadata: Record<string, string> }> {
  const out = await fakeBuild({ files: FILES, opts: ["filename=speck.yaml", `requestid=${request}`] });
  const ret = out.fake.returns[0];
  const result = ret ? decodeMessage("ReturnRequest", ret).result : undefined;
  const metadata = Object.fromEntries(Object.entries(result?.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString("utf8")]));
  return { ...out, metadata };
}

describe("subrequests", () => {
  it("answers every request the describe answer lists, each with its own result, and builds nothing", async () => {
    const described = await call("frontend.subrequests.describe");
    expect(described.error).toBeUndefined();
    const rows = JSON.parse(described.metadata["result.json"] ?? "[]") as { name: string; version: string; type: string; description: string }[];
    expect(rows.map((r) => r.name)).toEqual(expect.arrayContaining(["frontend.subrequests.describe", "frontend.targets", "frontend.lint"]));
    for (const r of rows) expect(described.metadata["result.txt"]).toContain(`${r.name.padEnd(32)} ${r.description}`);
    const answers = new Set<string>();
    for (const r of rows) {
      const out = await call(r.name);
      expect(out.error, r.name).toBeUndefined();
      expect(out.metadata["result.json"], r.name).toBeDefined();
      answers.add(out.metadata["result.json"] ?? "");
      // A subrequest reads at most the build file: no context, no compile.
      expect(out.definitions.length, r.name).toBeLessThanOrEqual(1);
    }
    // As many different answers as rows: the dispatch does not send two names to one handler.
    expect(answers.size).toBe(rows.length);
  });

  it("refuses a request the table does not hold, naming exactly the ones describe lists", async () => {
    const described = await call("frontend.subrequests.describe");
    const names = (JSON.parse(described.metadata["result.json"] ?? "[]") as { name: string }[]).map((r) => r.name);
    const out = await call("frontend.nope");
    expect(out.error?.message).toBe(`unsupported request frontend.nope: speck answers ${names.join(", ")}`);
  });
});
