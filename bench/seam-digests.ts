// Records what a refactor must not change: for every example, profile and platform, the sha256 of
// the LLB Definition `speck llb` prints offline, and (with `image`) the manifest digest of a real
// build on a test-bed daemon. Run it on the old and the new code and compare the lists.
//
//   tsx bench/seam-digests.ts llb                      > llb list on stdout
//   tsx bench/seam-digests.ts image FRONTEND_TAG       > image list (needs `testbed.sh env d28` in the env)
//
// SEAM_ONLY=crc32,go-hello limits the examples; SEAM_NO_CACHE=1 passes --no-cache, so a
// second run proves the digests from cold builds, not from the daemon's cache.
//
// Each example is copied to a fixed directory (/tmp/speck-seam/<example>-<profile>) because the
// offline context's unique id is its path; the copy's spec gets `profile: <p>` appended. Image
// builds use the Alpine double as alpine:3.22 (the default toolchain path, which installs the
// compilers and every target root), SOURCE_DATE_EPOCH=1700000000 and --provenance=false, and
// output OCI tarballs whose index lists one manifest per platform.

import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { encodeDefinition, parsePlatform } from "../llb/index.js";
import { offlineBuild } from "../frontend/offline.js";

const REPO = resolve(import.meta.dirname, "..");
const PROFILES = ["size", "tiny", "speed", "debug"] as const;
const C_PLATFORMS = ["linux/amd64", "linux/arm64", "linux/arm/v7", "linux/riscv64"] as const;
const GO_PLATFORMS = ["linux/amd64", "linux/arm64"] as const;

interface Case {
  readonly example: string;
  readonly profile: string;
  readonly dir: string;
  readonly platforms: readonly string[];
}

function cases(): Case[] {
  const out: Case[] = [];
  const only = process.env["SEAM_ONLY"]?.split(",");
  for (const example of readdirSync(join(REPO, "examples")).sort()) {
    if (only !== undefined && !only.includes(example)) continue;
    const src = join(REPO, "examples", example);
    // The Rust examples came after the seam refactor this list guards (and rust-serde ships no Cargo.lock).
    if (readdirSync(src).includes("Cargo.toml")) continue;
    const isGo = readdirSync(src).includes("go.mod");
    for (const profile of PROFILES) {
      const dir = join("/tmp/speck-seam", `${example}-${profile}`);
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      cpSync(src, dir, { recursive: true });
      appendFileSync(join(dir, "speck.yaml"), `profile: ${profile}\n`);
      out.push({ example, profile, dir, platforms: isGo ? GO_PLATFORMS : C_PLATFORMS });
    }
  }
  return out;
}

function llbList(): string[] {
  const lines: string[] = [];
  const buildPlatform = parsePlatform("linux/amd64");
  for (const c of cases()) {
    for (const p of c.platforms) {
      const b = offlineBuild(join(c.dir, "speck.yaml"), { platform: parsePlatform(p), buildPlatform });
      lines.push(`llb ${c.example} ${c.profile} ${p} ${sha256(encodeDefinition(b.definition))}`);
      // The prepared-toolchain path (--toolchain, as --build-context toolchain=...).
      const toolchain = `local/speck-toolchain:${c.platforms === GO_PLATFORMS ? "go" : "c"}`;
      const t = offlineBuild(join(c.dir, "speck.yaml"), { platform: parsePlatform(p), buildPlatform, toolchain });
      lines.push(`llb+toolchain ${c.example} ${c.profile} ${p} ${sha256(encodeDefinition(t.definition))}`);
    }
  }
  return lines;
}

function imageList(frontend: string): string[] {
  const lines: string[] = [];
  for (const c of cases()) {
    const spec = join(c.dir, "speck.yaml");
    writeFileSync(spec, readFileSync(spec, "utf8").replace(/^# syntax=.*$/m, `# syntax=${frontend}`));
    const out = mkdtempSync(join(tmpdir(), "speck-seam-oci-"));
    try {
      const tar = join(out, "i.tar");
      const args = [
        "buildx", "build", "--progress=quiet", "--provenance=false", "-f", spec,
        "--build-arg", "SOURCE_DATE_EPOCH=1700000000",
        "--build-context", "alpine:3.22=docker-image://local/speck-alpine-offline:3.22",
        "--platform", c.platforms.join(","), "--output", `type=oci,dest=${tar}`,
        ...(process.env["SEAM_NO_CACHE"] === "1" ? ["--no-cache"] : []), c.dir,
      ];
      try {
        execFileSync("docker", args, { stdio: ["ignore", "ignore", "pipe"], maxBuffer: 64 << 20 });
      } catch (e) {
        lines.push(`image ${c.example} ${c.profile} * FAILED ${String((e as { stderr?: Buffer }).stderr ?? e).split("\n").slice(-3).join(" | ")}`);
        process.stderr.write(`${lines.at(-1)}\n`);
        continue;
      }
      execFileSync("tar", ["-xf", tar, "-C", out]);
      const index = JSON.parse(readFileSync(join(out, "index.json"), "utf8")) as { manifests: { digest: string }[] };
      const top = index.manifests[0]?.digest ?? "none";
      lines.push(`image ${c.example} ${c.profile} index ${top}`);
      const inner = JSON.parse(readFileSync(join(out, "blobs", ...top.split(":")), "utf8")) as { manifests?: { digest: string; platform?: { architecture: string; variant?: string } }[] };
      for (const m of inner.manifests ?? []) {
        const p = m.platform ? `linux/${m.platform.architecture}${m.platform.variant ? `/${m.platform.variant}` : ""}` : "?";
        lines.push(`image ${c.example} ${c.profile} ${p} ${m.digest}`);
      }
      process.stderr.write(`${c.example} ${c.profile}: ${top}\n`);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }
  return lines;
}

function sha256(b: Uint8Array): string {
  return createHash("sha256").update(b).digest("hex");
}

const [mode, frontend] = process.argv.slice(2);
if (mode === "llb") process.stdout.write(`${llbList().join("\n")}\n`);
else if (mode === "image" && frontend !== undefined) process.stdout.write(`${imageList(frontend).join("\n")}\n`);
else {
  process.stderr.write("usage: tsx bench/seam-digests.ts llb | image FRONTEND_TAG\n");
  process.exitCode = 2;
}
