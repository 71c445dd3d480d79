// Stage 1's base: where the compiler comes from.
//
// The toolchain runs on the plan's toolchain platform: the build platform
// for clang (one cross compiler for every target), the target itself for
// gcc. Three ways, checked in this order for each platform:
//   1. `--build-context toolchain=<image>`: a prepared toolchain, used as is
//      (nothing installed; for air-gapped builds and for our tests); for
//      clang it is an image for the build platform that carries each
//      target's root at /<triple>;
//   2. `--build-context <toolchain image name>=<image>`: replaces only the
//      base image, as the Dockerfile frontend does for FROM; packages are
//      still installed;
//   3. the spec's `toolchain.image` (default Alpine), resolved to a digest
//      so the build names exactly one image, then `apk add`, and for clang
//      `apk add --root /<triple>` of the target's libraries.

import { fromDefinition, image, normalizeImageRef, parseImageReference, type ImageConfig, type Platform, type State } from "../../llb/index.js";
// Not gateway/index.js: the CLI loads the languages, and that index loads the gateway runtime.
import type { GatewayClient } from "../gateway/index.js";
import { formatPlatform } from "../gateway/platforms.js";
import { GatewayError, GRPC_CANCELLED, GRPC_DEADLINE_EXCEEDED, GRPC_UNAVAILABLE } from "../gateway/status.js";
import type { ToolchainPlan } from "../plan/index.js";
import { spanOf, type Spec } from "../speckfile/index.js";
import { UserError } from "../errors.js";
import { installPackages, installSysroot, type StageOptions } from "./stages.js";

/** The named context that replaces the whole toolchain. */
export const TOOLCHAIN_CONTEXT = "toolchain";

export interface Toolchain {
  readonly state: State;
  /** For explain/debug output: where it came from. */
  readonly origin: string;
}

/**
 * The toolchain state for `target`. Its ops carry the plan's toolchain
 * platform (a state's platform is inherited by every exec run on it), so
 * the compile run on it does too; only the final image is the target's.
 */
export async function resolveToolchain(client: GatewayClient, spec: Spec, plan: ToolchainPlan, target: Platform, stage: StageOptions): Promise<Toolchain> {
  const platform = plan.platform;
  const pid = formatPlatform(platform);
  const tid = formatPlatform(target);
  // Named contexts are looked up for the target, as BuildKit's own frontends do (`name::platform` keys).
  const prepared = client.options.namedContext(TOOLCHAIN_CONTEXT, tid);
  if (prepared !== undefined) {
    return { state: await namedContextState(client, spec, TOOLCHAIN_CONTEXT, prepared, platform), origin: `context ${TOOLCHAIN_CONTEXT}=${prepared}` };
  }
  const ref = plan.image;
  const familiar = familiarName(ref, spec);
  const override = client.options.namedContext(familiar, pid);
  const base =
    override !== undefined
      ? await namedContextState(client, spec, familiar, override, platform)
      : await pinnedImage(client, spec, normalizeImageRef(ref), platform, `[toolchain ${pid}] load metadata for ${ref}`);
  const state = toolchainStages(base, plan, target, stage);
  return { state, origin: override !== undefined ? `context ${familiar}=${override}` : ref };
}

/**
 * `docker.io/library/alpine:latest` -> `alpine`, `docker.io/library/alpine:3.22`
 * -> `alpine:3.22`: the key BuildKit's named contexts use for an image.
 */
export function familiarName(ref: string, spec?: Spec): string {
  let parsed;
  try {
    parsed = parseImageReference(normalizeImageRef(ref));
  } catch (e) {
    const span = spec && spanOf(spec, "toolchain.image");
    throw new UserError([{ message: (e as Error).message, ...(span ? { span } : {}), hint: "e.g. alpine:3.22 or registry.example/team/toolchain:1" }], spec?.file);
  }
  let name = parsed.name;
  if (name.startsWith("docker.io/library/")) name = name.slice("docker.io/library/".length);
  else if (name.startsWith("docker.io/")) name = name.slice("docker.io/".length);
  if (parsed.tag !== undefined && parsed.tag !== "latest") name += `:${parsed.tag}`;
  if (parsed.digest !== undefined) name += `@${parsed.digest}`;
  return name;
}

async function namedContextState(client: GatewayClient, spec: Spec, name: string, value: string, platform: Platform): Promise<State> {
  if (value.startsWith("docker-image://")) {
    const ref = value.slice("docker-image://".length);
    let normalized: string;
    try {
      normalized = normalizeImageRef(ref);
    } catch (e) {
      throw new UserError(`--build-context ${name}=${value}: ${(e as Error).message}`, spec.file);
    }
    return pinnedImage(client, spec, normalized, platform, `[context ${name}] load metadata for ${ref}`, `--build-context ${name}=${value}`);
  }
  if (value.startsWith("input:")) {
    const input = value.slice("input:".length);
    const def = (await client.inputs()).get(input);
    if (!def) throw new UserError(`--build-context ${name}: the client sent no input named ${input}`, spec.file);
    const configBytes = client.options.inputMetadata(input)?.get("containerimage.config");
    // A definition carries no platform of its own: execs on it run on the toolchain's.
    return withConfig(fromDefinition(def), configBytes ? parseConfig(configBytes) : undefined).platform(platform);
  }
  throw new UserError(
    `--build-context ${name}=${value}: speck takes a toolchain from an image (docker-image://<ref>) or from another build's result`,
    spec.file,
  );
}

/** Resolves `ref` for `platform` and returns it pinned to the manifest digest, with its env/workdir/user. */
async function pinnedImage(client: GatewayClient, spec: Spec, ref: string, platform: Platform, logName: string, via?: string): Promise<State> {
  let resolved;
  try {
    resolved = await client.resolveImageConfig(ref, { platform, resolveMode: client.options.imageResolveMode, logName });
  } catch (e) {
    // Only a failed lookup is about the name; a cancelled build or a lost daemon is not.
    if (!(e instanceof GatewayError) || [GRPC_CANCELLED, GRPC_DEADLINE_EXCEEDED, GRPC_UNAVAILABLE].includes(e.code)) throw e;
    const span = via === undefined ? spanOf(spec, "toolchain.image") : undefined;
    throw new UserError(
      [
        {
          message: `cannot resolve the toolchain image ${ref} for ${formatPlatform(platform)}${via ? ` (from ${via})` : ""}: ${e.message}`,
          ...(span ? { span } : {}),
          hint: "check the name and that the image has this platform; without a registry, pass a prepared toolchain with --build-context toolchain=docker-image://<image>",
        },
      ],
      spec.file,
      { cause: e },
    );
  }
  checkImagePlatform(spec, ref, resolved.config, platform, via);
  const pinned = parseImageReference(resolved.ref).digest !== undefined ? resolved.ref : `${resolved.ref}@${resolved.digest}`;
  const config = parseConfig(resolved.config);
  return image(pinned, { platform, ...(config ? { config } : {}) });
}

/**
 * A store may hand back its only variant whatever platform was asked for (a
 * single-platform image in the containerd store does). Running that
 * toolchain would compile for the wrong machine, or fail obscurely under
 * emulation: say which platform the image lacks instead.
 */
function checkImagePlatform(spec: Spec, ref: string, configBytes: Uint8Array, platform: Platform, via: string | undefined): void {
  let img: { os?: unknown; architecture?: unknown; variant?: unknown };
  try {
    img = JSON.parse(new TextDecoder().decode(configBytes)) as typeof img;
  } catch {
    return; // no readable config: nothing to compare; the ELF check still guards the result
  }
  const arch = typeof img.architecture === "string" ? img.architecture : undefined;
  const os = typeof img.os === "string" ? img.os : undefined;
  const variant = typeof img.variant === "string" ? img.variant : undefined;
  const osMismatch = os !== undefined && os !== platform.os;
  const archMismatch = arch !== undefined && arch !== platform.architecture;
  // A variant is compared only when both sides name one (arm64 images often leave it out).
  const variantMismatch = !archMismatch && variant !== undefined && platform.variant !== undefined && variant !== platform.variant;
  if (!osMismatch && !archMismatch && !variantMismatch) return;
  const has = [os ?? "?", arch ?? "?", ...(variant ? [variant] : [])].join("/");
  const span = via === undefined ? spanOf(spec, "toolchain.image") : undefined;
  throw new UserError(
    [
      {
        message: `the toolchain image ${ref}${via ? ` (from ${via})` : ""} has no ${formatPlatform(platform)} variant: the daemon offered ${has}`,
        ...(span ? { span } : {}),
        hint: `use a multi-platform toolchain image that includes ${formatPlatform(platform)}, or drop that platform from --platform`,
      },
    ],
    spec.file,
  );
}

function parseConfig(bytes: Uint8Array): ImageConfig | undefined {
  try {
    const img = JSON.parse(new TextDecoder().decode(bytes)) as { config?: ImageConfig };
    return img.config;
  } catch {
    return undefined;
  }
}

function withConfig(state: State, config: ImageConfig | undefined): State {
  let s = state;
  for (const kv of config?.Env ?? []) {
    const eq = kv.indexOf("=");
    if (eq > 0) s = s.addEnv(kv.slice(0, eq), kv.slice(eq + 1));
  }
  if (config?.WorkingDir) s = s.dir(config.WorkingDir);
  if (config?.User) s = s.user(config.User);
  return s;
}

/**
 * Stage 1 on a base image, the same in the frontend and the CLI: the
 * toolchain's packages on its platform, then the target's root when the plan
 * has one.
 */
export function toolchainStages(base: State, toolchain: ToolchainPlan, target: Platform, opts: StageOptions): State {
  const tools = installPackages(base, toolchain, formatPlatform(toolchain.platform), opts);
  return toolchain.sysroot ? installSysroot(tools, base, toolchain.sysroot, formatPlatform(target), opts) : tools;
}
