// The speck command line: thin wrappers over the library. Exit codes:
// 0 success, 1 a problem in the user's input (printed as file:line:col),
// 2 a usage error, 70 a bug in speck (EX_SOFTWARE).

import { existsSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import yargs from "yargs";
import { encodeDefinition, parsePlatform, toJSON, type Platform } from "../llb/index.js";
// Not gateway/index.js: that loads the gateway runtime, whose stdout guard would send --help to stderr.
import { formatPlatform, hostPlatform } from "./gateway/platforms.js";
import { explainPlan } from "./languages/explain.js";
import { LANGUAGE_SUPPORT } from "./languages/registry.js";
import { offlineBuild } from "./offline.js";
import { parseNetworkMode, type NetworkSettings } from "./pipeline/network.js";
import { readAttestedSboms } from "./sbom/read-archive.js";
import { UserError } from "./errors.js";
import { FRONTEND_IMAGE, versionText } from "./version.js";

export const EXIT_OK = 0;
export const EXIT_USER = 1;
export const EXIT_USAGE = 2;
export const EXIT_BUG = 70;

interface Io {
  readonly out: (s: string | Uint8Array) => void;
  readonly err: (s: string) => void;
}

const stdio: Io = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };

export async function main(argv: readonly string[], io: Io = stdio): Promise<number> {
  let code = EXIT_OK;
  const guard = (fn: () => void): void => {
    try {
      fn();
    } catch (e) {
      if (e instanceof UsageError) {
        io.err(`${e.message}\nRun speck --help for usage.\n`);
        code = EXIT_USAGE;
      } else if (e instanceof UserError) {
        io.err(`${e.message}\n`);
        code = EXIT_USER;
      } else {
        io.err(`speck: internal error: ${(e as Error).stack ?? String(e)}\n`);
        code = EXIT_BUG;
      }
    }
  };
  const common = {
    context: { type: "string", describe: "the build context directory (default: the build file's directory)" },
    platform: { type: "string", describe: "target platform, e.g. linux/arm64; explain takes a comma list (default: this machine's)" },
    toolchain: { type: "string", describe: "a prepared toolchain image, as --build-context toolchain=docker-image://IMAGE" },
    network: { choices: ["default", "host", "none"] as const, describe: "the network of the ops that download, as docker buildx build --network (default: the build's sandbox network)" },
  } as const;

  const parser = yargs([...argv])
    .scriptName("speck")
    .usage("$0 <command>\n\nA BuildKit frontend: a few lines of YAML become a tiny static C/C++ image.")
    .command("frontend", "run as a BuildKit gateway frontend (the image's entrypoint; stdout is the gRPC wire)", {}, () => {
      io.err("speck frontend takes no arguments\n");
      code = EXIT_USAGE;
    })
    .command(
      "llb <file>",
      "print the LLB Definition speck would send, offline",
      (y) => y.positional("file", { type: "string", demandOption: true }).options({ ...common, format: { choices: ["json", "binary"] as const, default: "json" as const } }),
      (a) =>
        guard(() => {
          const [platform, ...more] = platformsOf(a.platform);
          if (platform === undefined || more.length > 0) throw new UsageError("speck llb builds one platform at a time; --platform takes a single value here");
          const build = offlineBuild(a.file, offlineOptions(a, platform));
          io.out(a.format === "binary" ? encodeDefinition(build.definition) : `${JSON.stringify(toJSON(build.definition), null, 2)}\n`);
        }),
    )
    .command(
      "explain <file>",
      "describe the plan in words: toolchain, packages, every flag and why",
      (y) => y.positional("file", { type: "string", demandOption: true }).options(common),
      // One plan per platform: flags and the toolchain variant may differ between them.
      (a) => guard(() => io.out(platformsOf(a.platform).map((p) => `${explainPlan(offlineBuild(a.file, offlineOptions(a, p)).plan, networkOf(a))}\n`).join("\n"))),
    )
    .command(
      "sbom <path>",
      "print the SPDX SBOM a --sbom=true build attested, from its OCI output (tar or directory) or local export",
      (y) => y.positional("path", { type: "string", demandOption: true }).options({ platform: { type: "string", describe: "only this platform's document, e.g. linux/arm64" } }),
      (a) => guard(() => io.out(attestedSbom(a.path, a.platform))),
    )
    .command(
      "init [dir]",
      "write a speck.yaml for the C/C++ sources or the Go module in a folder",
      (y) =>
        y
          .positional("dir", { type: "string", default: "." })
          .options({ force: { type: "boolean", default: false, describe: "overwrite an existing speck.yaml" }, syntax: { type: "string", default: FRONTEND_IMAGE, describe: "the speck image for the # syntax= line" } }),
      (a) => guard(() => io.out(init(a.dir, a.force, a.syntax))),
    )
    .command("version", "print speck's version, the git revision it was built from and its source (the image's OCI labels)", {}, () => {
      io.out(versionText());
    })
    .demandCommand(1, "name a command")
    .strict()
    .help()
    .alias("h", "help")
    .version(false)
    .fail((msg, err) => {
      if (err) throw err;
      io.err(`${msg}\nRun speck --help for usage.\n`);
      code = EXIT_USAGE;
    })
    .exitProcess(false);
  await parser.parseAsync();
  return code;
}

/**
 * One platform's document as the build wrote it (two-space JSON, speck's key
 * order: the same bytes the attestation's predicate was made from); with
 * several platforms and no --platform, an object keyed by platform, as
 * `docker buildx imagetools inspect --format '{{json .SBOM}}'` shows them.
 */
function attestedSbom(path: string, platform: string | undefined): string {
  const docs = readAttestedSboms(path);
  if (platform !== undefined) {
    const wanted = formatPlatform(platformsOf(platform)[0] ?? hostPlatform());
    const doc = docs.get(wanted);
    if (doc === undefined) throw new UserError(`${path}: no SBOM for ${wanted}; it has ${[...docs.keys()].join(", ") || "one for an unnamed platform"}`);
    return `${JSON.stringify(doc, null, 2)}\n`;
  }
  const [only] = docs.values();
  return `${JSON.stringify(docs.size === 1 ? only : Object.fromEntries(docs), null, 2)}\n`;
}

/** A command-line mistake (exit 2), as opposed to a problem in the build file (exit 1). */
class UsageError extends Error {}

/** `--platform a,b` as BuildKit takes it: a comma list, duplicates dropped; none means this machine's. */
export function platformsOf(value: string | undefined): Platform[] {
  if (value === undefined) return [hostPlatform()];
  const out = new Map<string, Platform>();
  for (const item of value.split(",").map((v) => v.trim())) {
    if (item === "") throw new UsageError(`--platform ${value}: an empty entry; write e.g. linux/amd64,linux/arm64`);
    let platform: Platform;
    try {
      platform = parsePlatform(item);
    } catch (e) {
      throw new UsageError(`--platform ${item}: ${(e as Error).message}`);
    }
    out.set(formatPlatform(platform), platform);
  }
  return [...out.values()];
}

function offlineOptions(a: { context?: string | undefined; toolchain?: string | undefined; network?: string | undefined }, platform: Platform) {
  return { platform, network: networkOf(a), ...(a.context !== undefined ? { context: a.context } : {}), ...(a.toolchain !== undefined ? { toolchain: a.toolchain } : {}) };
}

/** `--network` as buildx takes it (`default` is what it sends no option for). */
function networkOf(a: { network?: string | undefined }): NetworkSettings {
  return { mode: parseNetworkMode(a.network === "default" ? undefined : a.network) };
}

/** Writes DIR/speck.yaml naming the sources found directly in DIR or under src/. */
export function init(dir: string, force: boolean, syntax: string): string {
  const target = join(dir, "speck.yaml");
  if (existsSync(target) && !force) throw new UserError(`${target} exists; pass --force to replace it`);
  const build = `# Build with: docker buildx build -f speck.yaml -t ${basename(join(dir, ".")) || "app"} .`;
  // The registry's order: a go.mod makes it a Go module even beside C files.
  for (const language of LANGUAGE_SUPPORT) {
    const found = language.detect(dir);
    if (found === undefined) continue;
    writeFileSync(target, [`# syntax=${syntax}`, build, ...found.lines, ""].join("\n"));
    return `wrote ${target} (${found.summary})\n`;
  }
  const said = LANGUAGE_SUPPORT.flatMap((l) => (l.undetected !== undefined ? [l.undetected(dir)] : []));
  throw new UserError(said.length > 0 ? said.join("; ") : `no program speck can build in ${dir}`);
}
