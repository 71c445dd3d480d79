// The usage example at the top of index.ts, run as written.
import { describe, expect, it } from "vitest";
import { copy, encodeDefinition, image, local, marshal, mkdir, mkfile, mount, scratch, toJSON } from "./index.js";

describe("the index.ts example", () => {
  it("builds, marshals and encodes", () => {
    const sessionId = "session-1";
    const base = image("alpine:3.20", { platform: "linux/amd64" });
    const src = local("context", { sessionId, sharedKeyHint: "context", excludePatterns: ["node_modules"] });
    const built = base.dir("/src").run({
      args: ["cc", "-static", "-o", "/out/app", "main.c"],
      mounts: [
        mount.bind("/src", src, { readonly: true }),
        mount.bind("/out", scratch()),
        mount.cache("/root/.cache", "ccache", { sharing: "locked" }),
      ],
      customName: "compile",
    });
    const app = built.getMount("/out");
    const final = scratch().file([mkdir("/etc", 0o755), mkfile("/etc/passwd", 0o644, "app:x:1000:1000::/:\n"), copy(app, "/app", "/app")]);
    const bytes = encodeDefinition(marshal(final, { platform: "linux/amd64" }));
    expect(bytes.length).toBeGreaterThan(0);
    expect(toJSON(marshal(final, { platform: "linux/amd64" })).map((o) => o.kind)).toEqual(["source", "source", "exec", "file", "terminal"]);
  });
});
