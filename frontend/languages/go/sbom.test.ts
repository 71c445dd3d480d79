import { describe, expect, it } from "vitest";
import type { GatewayClient, Reference } from "../../gateway/index.js";
import { UserError } from "../../errors.js";
import { collectGoSbom, goInputs } from "./sbom.js";

describe("goInputs", () => {
  it("lists module files, and the .go files go build may compile; never tests, testdata, _ or . directories", () => {
    const files = ["go.mod", "go.sum", "main.go", "main_test.go", "internal/a/a.go", "testdata/x.go", "_tools/t.go", ".hidden/h.go", "README.md", "vendor/modules.txt", "vendor/m/m.go", "assets/conf.go"];
    const wanted = goInputs(files, [{ src: "assets/conf.go", dest: "/etc/conf.go" }]);
    expect(wanted.map((w) => `${w.role} ${w.path}`)).toEqual([
      "module-file go.mod",
      "module-file go.sum",
      "source main.go",
      "source internal/a/a.go",
      "module-file vendor/modules.txt",
      "source vendor/m/m.go",
      "image-file /etc/conf.go",
    ]);
  });
});

describe("collectGoSbom", () => {
  it("a binary without Go build info is a user error that says what --sbom needs", async () => {
    const binary = Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, ...new Uint8Array(57)]);
    const client = { readFile: async (_ref: unknown, _path: string, r?: { offset: number; length: number }) => binary.slice(r?.offset ?? 0, (r?.offset ?? 0) + (r?.length ?? binary.length)) } as unknown as GatewayClient;
    const collecting = collectGoSbom(client, {
      name: "old",
      platform: "linux/amd64",
      epochSeconds: 0,
      environment: { image: "toolchain" },
      toolchain: {} as Reference,
      roots: [],
      binary: { ref: {} as Reference, path: "old", imagePath: "/old", size: binary.length, description: "old" },
      context: undefined,
      imageFiles: [],
      contextFiles: [],
      cgo: false,
    });
    await expect(collecting).rejects.toThrow(UserError);
    await expect(collecting).rejects.toThrow(/--sbom: cannot read the Go build info of old \(no \.go\.buildinfo section: not a Go binary, or one from a Go older than 1\.18\)/);
  });
});
