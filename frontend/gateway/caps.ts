// Capability checks against what the daemon reported in Ping.
//
// A cap is usable only when it is present AND enabled (BuildKit's
// apicaps.CapSet.Supports): Docker's graphdriver store reports mergeop/diffop
// present but disabled. When Ping returns no list at all, the daemon predates
// caps and Go assumes a frozen default set; so do we.

import type { APICap } from "../../proto/gateway.js";

export type CapKind = "gateway" | "llb";

export class CapabilityError extends Error {
  override readonly name = "CapabilityError";
  constructor(
    readonly capId: string,
    readonly kind: CapKind,
    message: string,
  ) {
    super(message);
  }
}

function enabled(ids: readonly string[]): APICap[] {
  return ids.map((ID) => ({ ID, Enabled: true, Deprecated: false, DisabledReason: "", DisabledReasonMsg: "", DisabledAlternative: "" }));
}

/** Go's grpcclient defaultCaps(): frozen, for daemons whose Ping carries no gateway caps. */
export const DEFAULT_GATEWAY_CAPS: readonly APICap[] = enabled(["solve.base", "solve.inlinereturn", "resolveimage", "readfile"]);

/** Go's grpcclient defaultLLBCaps(): frozen, for daemons whose Ping carries no LLB caps. */
export const DEFAULT_LLB_CAPS: readonly APICap[] = enabled([
  "source.image", "source.local", "source.local.unique", "source.local.sessionid",
  "source.local.includepatterns", "source.local.followpaths", "source.local.excludepatterns",
  "source.local.sharedkeyhint", "source.git", "source.git.keepgitdir", "source.git.fullurl",
  // "soruce" is the real ID in BuildKit's solver/pb/caps.go.
  "source.http", "source.http.checksum", "source.http.perm", "soruce.http.uidgid",
  "source.buildop.llbfilename", "exec.meta.base", "exec.meta.proxyenv", "exec.mount.bind",
  "exec.mount.cache", "exec.mount.cache.sharing", "exec.mount.selector", "exec.mount.tmpfs",
  "exec.mount.secret", "constraints", "platform", "meta.ignorecache", "meta.description",
  "meta.exportcache",
]);

// First BuildKit release with each cap newer than speck's floor (v0.13), from
// BuildKit's caps.go history; caps not listed here exist in v0.13 already.
const INTRODUCED_IN: Readonly<Record<string, string>> = {
  "file.copy.alwaysreplaceexistingdestpaths": "0.14",
  "exec.validexitcode": "0.17",
  "file.copy.modestring": "0.17",
  "file.symlink.create": "0.19",
  "exec.meta.cdi": "0.20",
  "source.http.auth": "0.21",
  "source.http.header": "0.21",
  "source.local.metadatatransfer": "0.21",
  "exporter.session": "0.21",
  "source.git.checksum": "0.22",
  "source.git.skipsubmodules": "0.24",
  "source.image.checksum": "0.25",
  "gateway.exec.filesystem": "0.27",
  "source.metaresolver.image.attestations": "0.28",
  "source.metaresolver.http.checksumrequest": "0.28",
};

/** The oldest daemon speck supports; every cap not in INTRODUCED_IN exists there. */
const FLOOR = "BuildKit v0.13 or later (Docker Engine 26.0 or later)";

// The first Docker Engine release embedding at least that BuildKit (moby vendor.mod).
const DOCKER_FOR_BUILDKIT: readonly (readonly [string, string])[] = [
  ["0.13", "26.0"], ["0.14", "27.0"], ["0.16", "27.3"], ["0.17", "27.4"], ["0.18", "27.5"],
  ["0.20", "28.0"], ["0.21", "28.1"], ["0.22", "28.2"], ["0.23", "28.3"], ["0.24", "28.4"], ["0.25", "28.5"],
];

function minor(v: string): number {
  return Number(v.split(".")[1]);
}

/** "BuildKit v0.19 or later (Docker Engine 28.0 or later)", or undefined for caps speck knows no version of. */
export function minimumVersion(capId: string): string | undefined {
  const bk = INTRODUCED_IN[capId];
  if (bk === undefined) return undefined;
  const docker = DOCKER_FOR_BUILDKIT.find(([b]) => minor(b) >= minor(bk))?.[1];
  return `BuildKit v${bk} or later${docker ? ` (Docker Engine ${docker} or later)` : ""}`;
}

export class CapSet {
  private readonly byId: ReadonlyMap<string, APICap>;

  /** `reported` is Ping's list; an empty list means "before caps" and selects the frozen defaults. */
  constructor(
    readonly kind: CapKind,
    reported: readonly APICap[],
  ) {
    const list = reported.length > 0 ? reported : kind === "gateway" ? DEFAULT_GATEWAY_CAPS : DEFAULT_LLB_CAPS;
    this.byId = new Map(list.map((c) => [c.ID, c]));
  }

  supports(id: string): boolean {
    return this.byId.get(id)?.Enabled === true;
  }

  /** Throws a CapabilityError naming the cap, why it is missing and the minimum version, unless supported. */
  require(id: string, feature: string): void {
    const cap = this.byId.get(id);
    if (cap?.Enabled) return;
    const what = `${feature} needs the ${this.kind === "gateway" ? "gateway API" : "LLB"} capability "${id}"`;
    if (cap) {
      const reason = cap.DisabledReasonMsg || cap.DisabledReason || "no reason given";
      const alt = cap.DisabledAlternative ? `; use ${cap.DisabledAlternative} instead` : "";
      throw new CapabilityError(id, this.kind, `${what}, which this daemon has disabled (${reason})${alt}`);
    }
    // A cap older than speck's floor is missing only from a daemon older than the floor itself.
    const min = minimumVersion(id);
    const need = min ? `it needs ${min}` : `speck needs ${FLOOR}`;
    throw new CapabilityError(id, this.kind, `${what}, which this daemon does not have: ${need}`);
  }

  ids(): string[] {
    return [...this.byId.keys()].filter((id) => this.supports(id));
  }
}
