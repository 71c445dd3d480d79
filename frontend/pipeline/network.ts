// The build's network: `docker buildx build --network=host|none` and the
// proxies buildx passes as build args, and which ops they reach. The one
// place that decides an op's network; languages say only that an op
// downloads and what a user without a network gives instead.
//
// Facts (checked at the source):
// - buildx sends `--network=host` and `--network=none` as the frontend option
//   `force-network-mode`; the default sends nothing, and any other value
//   (`sandbox` included) is refused by buildx itself. `--network=host` also
//   adds the `network.host` entitlement to the request by itself, so no
//   `--allow network.host` is needed (docker/buildx build/opt.go, "setup
//   networkmode", the same in v0.13.1 build/build.go). The daemon must grant
//   the entitlement: Docker Engine's builder does unless daemon.json turns
//   `builder.entitlements.network-host` off (moby builder/builder-next/
//   controller.go getEntitlements: granted when the setting is unset or
//   true); a buildkitd needs `--allow-insecure-entitlement network.host`.
// - The Dockerfile frontend reads the same option (moby/buildkit
//   frontend/dockerui/attr.go parseNetMode: "", sandbox, host, none) and puts
//   it on every RUN. speck puts it only on the ops that download (the
//   toolchain's apk installs and a language's fetch op); every compile op
//   stays at NetMode NONE whatever the user asks.
// - The Dockerfile frontend turns the build args HTTP_PROXY, HTTPS_PROXY,
//   FTP_PROXY, NO_PROXY and ALL_PROXY, in any case, into the ExecOp's
//   Meta.proxy_env (dockerfile2llb/convert.go proxyEnvFromBuildArgs, keys
//   sorted, so `http_proxy` wins over `HTTP_PROXY`), and BuildKit drops
//   proxy_env from an exec's cache key (solver/llbsolver/ops/exec.go CacheMap:
//   `op.Meta.ProxyEnv = nil`, already in v0.13.0). The network mode stays in
//   the key: a build with --network=host does not share its downloading ops
//   with one without.

import type { NetworkMode, ProxyEnv } from "../../llb/index.js";
import { UserError, type SourceFile, type SourceSpan } from "../errors.js";

/** What `--network` asked for (`sandbox` when nothing was). */
export type BuildNetwork = NetworkMode;

/** The network settings every op that downloads gets. */
export interface NetworkSettings {
  readonly mode: BuildNetwork;
  /** From the build args HTTP_PROXY, HTTPS_PROXY, FTP_PROXY, NO_PROXY, ALL_PROXY (any case). */
  readonly proxy?: ProxyEnv;
}

export const DEFAULT_NETWORK: NetworkSettings = Object.freeze({ mode: "sandbox" });

/** The frontend option `force-network-mode` (from `--network`), as BuildKit's dockerui parses it. */
export function parseNetworkMode(value: string | undefined): BuildNetwork {
  if (value === undefined || value === "" || value === "sandbox") return "sandbox";
  if (value === "host" || value === "none") return value;
  throw new UserError(`--network=${value}: speck takes --network=host or --network=none (or no --network: the build's sandbox network)`);
}

/** buildx's proxy build args as ExecOp proxy_env, as the Dockerfile frontend reads them (keys sorted, any case). */
export function proxyFromBuildArgs(args: ReadonlyMap<string, string>): ProxyEnv | undefined {
  const fields: Record<string, keyof ProxyEnv> = { http_proxy: "httpProxy", https_proxy: "httpsProxy", ftp_proxy: "ftpProxy", no_proxy: "noProxy", all_proxy: "allProxy" };
  const out: { -readonly [K in keyof ProxyEnv]: string } = {};
  let any = false;
  for (const k of [...args.keys()].sort()) {
    const field = fields[k.toLowerCase()];
    if (field === undefined) continue;
    out[field] = args.get(k) ?? "";
    any = true;
  }
  return any ? out : undefined;
}

/** An op that downloads, as a language describes it for the error a build without a network gets. */
export interface Download {
  /** The op as the progress output names it: `the fetch op (cargo fetch --locked)`. */
  readonly op: string;
  /** What it downloads: `the crates Cargo.lock names`. */
  readonly what: string;
  /** What to give instead, so the build needs no network. */
  readonly instead: string;
  readonly file: SourceFile;
  readonly span?: SourceSpan;
}

/**
 * The network options of an op that must download (a language's fetch op):
 * the build's mode and proxies. With `--network=none` it cannot do its job,
 * so the build stops here, before any op runs, saying what to give instead.
 */
export function downloadNetwork(settings: NetworkSettings, d: Download): { network: BuildNetwork; proxyEnv?: ProxyEnv } {
  if (settings.mode === "none") {
    throw new UserError(
      [{ message: `--network=none, but ${d.op} downloads ${d.what} and needs a network`, ...(d.span ? { span: d.span } : {}), hint: `${d.instead}; or leave out --network=none (--network=host gives it the host's own network)` }],
      d.file,
    );
  }
  return packageNetwork(settings);
}

/**
 * The network options of an op that may download (the toolchain's apk
 * installs: the base image's repositories may be local). `none` is kept as
 * the user asked: apk then reads only what needs no network.
 */
export function packageNetwork(settings: NetworkSettings): { network: BuildNetwork; proxyEnv?: ProxyEnv } {
  return { network: settings.mode, ...(settings.proxy ? { proxyEnv: settings.proxy } : {}) };
}

/** The network in words, for `speck explain`. */
export function describeNetwork(settings: NetworkSettings): string {
  const mode =
    settings.mode === "host" ? "the host's network (--network=host, NetMode HOST)" :
    settings.mode === "none" ? "none (--network=none): an op that must download refuses to start" :
    "the build's sandbox network (the default; --network=host or --network=none change it)";
  const proxy = settings.proxy ? `; proxies ${Object.entries(settings.proxy).map(([k, v]) => `${k}=${v}`).join(" ")} (left out of the cache key)` : "";
  return `${mode}${proxy}`;
}
