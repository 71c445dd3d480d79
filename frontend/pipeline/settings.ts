// Build options that are not in the spec: --no-cache, SOURCE_DATE_EPOCH,
// --network and the proxy build args (network.ts), and
// a warning for build args speck does not use (as the Dockerfile frontend
// warns), so a typo in --build-arg does not pass silently.

import type { GatewayClient } from "../gateway/index.js";
import type { Spec } from "../speckfile/index.js";
import { UserError } from "../errors.js";
import type { BuildFile } from "./build-file.js";
import { STAGES, type Stage } from "./stages.js";
import { parseNetworkMode, proxyFromBuildArgs, type NetworkSettings } from "./network.js";

export interface BuildSettings {
  /** `--no-cache` names every stage; `--no-cache-filter compile` only that one. */
  readonly noCache: ReadonlySet<Stage>;
  /** `--build-arg SOURCE_DATE_EPOCH=<seconds>`: file times and `created` come from it. */
  readonly sourceDateEpoch?: number;
  /** `--network` (frontend option force-network-mode) and buildx's proxy build args: what the ops that download get. */
  readonly network: NetworkSettings;
}

/** Build args speck reads, or that BuildKit and buildx set on every build. */
const KNOWN_ARGS = new Set(["SOURCE_DATE_EPOCH", "HTTP_PROXY", "HTTPS_PROXY", "FTP_PROXY", "NO_PROXY", "ALL_PROXY"]);

export function buildSettings(client: GatewayClient): BuildSettings {
  const args = client.options.buildArgs;
  const epoch = args.get("SOURCE_DATE_EPOCH");
  const proxy = proxyFromBuildArgs(args);
  return {
    noCache: noCacheStages(client),
    network: { mode: parseNetworkMode(client.options.get("force-network-mode")), ...(proxy ? { proxy } : {}) },
    ...(epoch !== undefined && epoch !== "" ? { sourceDateEpoch: parseEpoch(epoch) } : {}),
  };
}

function noCacheStages(client: GatewayClient): ReadonlySet<Stage> {
  const opt = client.options.noCache;
  if (opt === undefined) return new Set();
  if (opt.all) return new Set(STAGES);
  const unknown = opt.names.filter((n) => !(STAGES as readonly string[]).includes(n));
  if (unknown.length > 0) throw new UserError(`--no-cache-filter ${unknown.join(",")}: speck's stages are ${STAGES.join(", ")}`);
  return new Set(opt.names as Stage[]);
}

export function parseEpoch(value: string): number {
  if (!/^\d{1,12}$/.test(value)) {
    throw new UserError(`--build-arg SOURCE_DATE_EPOCH=${value}: expected whole seconds since 1970 (e.g. $(git log -1 --format=%ct))`);
  }
  return Number(value);
}

export async function warnUnusedBuildArgs(client: GatewayClient, file: BuildFile, spec: Spec): Promise<void> {
  for (const name of client.options.buildArgs.keys()) {
    if (KNOWN_ARGS.has(name.toUpperCase()) || name.startsWith("BUILDKIT_")) continue;
    await client.warn({
      digest: file.digest,
      short: `build-arg ${name} is not used by speck: a speck build reads only SOURCE_DATE_EPOCH`,
      info: { filename: spec.file.name, data: spec.file.data, language: spec.file.language },
    });
  }
}
