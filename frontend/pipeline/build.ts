// The build function BuildKit runs through the gateway. It reads like the
// phases of a speck build; each phase is a small function in this folder.
//
//   build file -> spec -> context (only the named files) -> per platform:
//   the language (languages/registry.ts): plan, toolchain, compile ->
//   verify (ELF, budget) -> scratch image (-> SBOM)

import { encodeDefinition, marshal, mkfile, scratch, toJSON, type Platform, type State } from "../../llb/index.js";
import { formatPlatform, ResultBuilder, type FrontendResult, type GatewayClient, type Reference } from "../gateway/index.js";
import { withImageFiles, type Plan } from "../plan/index.js";
import type { Spec } from "../speckfile/index.js";
import { UserError } from "../errors.js";
import { explainPlan } from "../languages/explain.js";
import { languageFromContext, needsContextLanguage, parseBuildFile, supportFor } from "../languages/registry.js";
import type { LanguageSupport } from "../languages/language.js";
import { readBuildFile, type BuildFile } from "./build-file.js";
import { loadContext, type Context } from "./context.js";
import { assembleImage, type StageOptions } from "./stages.js";
import { writeSbom } from "./sbom.js";
import { sbomRequest, type SbomRequest } from "../sbom/index.js";
import type { InTotoAttestation } from "../gateway/index.js";
import { imageConfig } from "./image-config.js";
import { locationOf } from "./locations.js";
import { answerSubrequest } from "./subrequests.js";
import { DEBUG_TARGET, parseTarget, type BuildTarget } from "./targets.js";
import { verifyBinary } from "./verify.js";
import { buildPlatformOf } from "./build-platform.js";
import { buildSettings, warnUnusedBuildArgs, type BuildSettings } from "./settings.js";
import { announceVersion } from "../version-line.js";

export async function build(client: GatewayClient): Promise<FrontendResult> {
  const request = client.options.requestId;
  if (request !== undefined) return answerSubrequest(client, request);
  await announceVersion(client);

  const target = parseTarget(client.options.target);
  const settings = buildSettings(client);
  const file = await readBuildFile(client);
  const parsed = parseBuildFile(file.name, file.data);
  // The context transfer, the warnings and each platform's toolchain resolution are
  // independent round trips to the daemon: they run at once. A failure is observed
  // by every platform that awaits the context; the no-op catch only keeps an early
  // failure elsewhere from leaving this rejection unhandled.
  const context = loadContext(client, parsed, withImageFiles(parsed, supportFor(parsed).contextPatterns(parsed)));
  context.catch(() => undefined);
  // Only a spec whose directory source several languages build waits for the context's files to choose
  // (every such language sends that directory whole, so the transfer above serves whichever it is).
  const spec = needsContextLanguage(parsed) ? languageFromContext(parsed, (await context).files) : parsed;
  const language = supportFor(spec);
  const platforms = targetPlatforms(client);
  const warned = Promise.all([warnUnusedBuildArgs(client, file, spec), warnEmulation(client, file, spec, language, platforms)]);
  warned.catch(() => undefined);

  const many = platforms.length > 1;
  const sbom = sbomRequest(client.options);
  // Checked before building: an SBOM that cannot be returned should not cost a compile first.
  if (sbom.write) client.requireCap("reference.attestations", "writing an SBOM (--sbom)");
  // Platforms build concurrently: the daemon schedules their steps side by side.
  const results = await Promise.all(
    platforms.map((platform) => buildPlatform(client, language, spec, context, platform, target, settings, many, sbom).catch((e: unknown) => rethrowFor(platform, many, e))),
  );
  // A warning that could not be sent must not fail a build that succeeded.
  await warned.catch((e: unknown) => process.stderr.write(`speck: could not send a warning: ${(e as Error).message}\n`));

  const result = new ResultBuilder(client.options.multiPlatform);
  for (const r of results) result.addPlatform(r.platform, r.ref, r.config);
  for (const r of results) if (r.sbom) result.addAttestation(r.platform, r.sbom);
  if (settings.sourceDateEpoch !== undefined) result.setMetadata("source.date.epoch", String(settings.sourceDateEpoch));
  return result.finalize();
}

interface PlatformResult {
  readonly platform: Platform;
  readonly ref: Reference | undefined;
  readonly config: Record<string, unknown>;
  /** With `--sbom`: the SPDX document of this platform's binary. */
  readonly sbom?: InTotoAttestation;
}

async function buildPlatform(
  client: GatewayClient,
  language: LanguageSupport,
  spec0: Spec,
  contextLoading: Promise<Context>,
  platform: Platform,
  target: BuildTarget,
  settings: BuildSettings,
  many: boolean,
  sbom: SbomRequest,
): Promise<PlatformResult> {
  const pid = formatPlatform(platform);
  const stage: StageOptions = {
    noCache: settings.noCache,
    network: settings.network,
    locations: { toolchain: locationOf(spec0, "toolchain") ?? locationOf(spec0, "packages"), compile: locationOf(spec0, "sources") },
  };
  const epoch = settings.sourceDateEpoch ?? 0;
  // The language decides what its SBOM reads (a C/C++ link's map, a Go binary's build info).
  const wantSbom = sbom.write && target !== DEBUG_TARGET;
  const prepared = await language.prepare(client, { spec: spec0, context: contextLoading, platform, buildPlatform: buildPlatformOf(client), stage, sourceDateEpoch: epoch, sbom: wantSbom });
  const { spec, plan, toolchain, compiled } = prepared;
  const context = await contextLoading;

  if (target === DEBUG_TARGET) {
    const image = assembleImage(compiled, context.state, plan, epoch, stage);
    const ref = await solve(client, debugImage(image, plan, platform, toolchain.origin, settings), platform);
    return { platform, ref, config: debugConfig(platform) };
  }

  const built = await client.solve({ definition: encode(compiled, platform), evaluate: true }).catch((e: unknown) => prepared.explainFailure(e));
  const binary = await verifyBinary(client, built.ref, spec, plan, platform, prepared.staticCheck);
  // With several platforms the size report names its platform (the label is per platform already).
  const report = many ? `[${pid}] ${binary.summary}` : binary.summary;
  const image = assembleImage(compiled, context.state, plan, epoch, { ...stage, customName: report });
  const ref = await solve(client, image, platform);
  const attestation = wantSbom ? await writeSbom(client, { plan, platform, epoch, toolchain, context, binary: { ref: built.ref, size: binary.size, summary: binary.summary }, collect: prepared.collectSbom }) : undefined;
  const config = imageConfig({
    plan,
    platform,
    binarySize: binary.size,
    extraLabels: client.options.labels,
    epoch,
    createdBy: `speck: ${report}`,
  });
  return { platform, ref, config, ...(attestation ? { sbom: attestation } : {}) };
}

/** Says which platforms run under emulation (gcc for another architecture), and why. */
async function warnEmulation(client: GatewayClient, file: BuildFile, spec: Spec, language: LanguageSupport, platforms: readonly Platform[]): Promise<void> {
  const build = buildPlatformOf(client);
  for (const p of platforms) {
    let warnings: readonly string[];
    try {
      warnings = language.planToolchain(spec, p, build).warnings;
    } catch {
      continue; // a platform speck cannot build fails on its own, with its own error
    }
    for (const short of warnings) {
      await client.warn({ digest: file.digest, short, info: { filename: spec.file.name, data: spec.file.data, language: spec.file.language } });
    }
  }
}

/** `--platform` if given, else the worker's own platform (BuildKit's default build platform). */
function targetPlatforms(client: GatewayClient): Platform[] {
  const asked = client.options.platforms;
  if (asked.length > 0) return asked;
  return [buildPlatformOf(client)];
}

function encode(state: State, platform: Platform): Uint8Array {
  return encodeDefinition(marshal(state, { platform }));
}

async function solve(client: GatewayClient, state: State, platform: Platform): Promise<Reference | undefined> {
  return (await client.solve({ definition: encode(state, platform) })).ref;
}

/** The debug target: what speck would run, as files in a scratch image (`--output type=local`). */
function debugImage(image: State, plan: Plan, platform: Platform, toolchainOrigin: string, settings: BuildSettings): State {
  const llb = `${JSON.stringify(toJSON(marshal(image, { platform })), null, 2)}\n`;
  const words = `${explainPlan(plan, settings.network)}\ntoolchain source: ${toolchainOrigin}\n`;
  return scratch().file([mkfile("/llb.json", 0o644, llb), mkfile("/plan.txt", 0o644, words)], { customName: `[${DEBUG_TARGET}] write llb.json and plan.txt` });
}

function debugConfig(platform: Platform): Record<string, unknown> {
  return { architecture: platform.architecture, os: platform.os, ...(platform.variant ? { variant: platform.variant } : {}), config: {}, rootfs: { type: "layers", diff_ids: [] } };
}

/** With several platforms, a user error says which one failed; daemon errors pass through unchanged. */
function rethrowFor(platform: Platform, many: boolean, e: unknown): never {
  if (many && e instanceof UserError) {
    const pid = formatPlatform(platform);
    throw new UserError(e.problems.map((p) => ({ ...p, message: `${pid}: ${p.message}` })), e.file, { cause: e });
  }
  throw e;
}
