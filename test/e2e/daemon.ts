// What the e2e global setup hands to every test file (vitest provide/inject): the daemons the
// tests run against. Plain data, because provided values cross into the test workers as JSON.

/** One dockerd (with its embedded BuildKit) that e2e tests build against. */
export interface Daemon {
  /** "d26" or "d28" for the test bed's own daemons, "external" for SPECK_E2E_DOCKER_HOST. */
  readonly name: string;
  /** DOCKER_HOST value, e.g. unix:///…/.cache/testbed/d28/docker.sock. */
  readonly dockerHost: string;
  /** DOCKER_CONFIG for this daemon's client (holds the matching buildx plugin). */
  readonly dockerConfig: string;
  /** Directory holding the docker CLI that matches the daemon. */
  readonly binDir: string;
  /** dockerd's log, where a frontend's stderr ends up; null when unknown (external daemon). */
  readonly logFile: string | null;
}

/** Tag of the frontend image the global setup builds on every daemon. */
export const FRONTEND_IMAGE = "speck:e2e";
/** What every examples/NAME/speck.yaml puts on its `# syntax=` line (frontend/version.ts). */
export const EXAMPLES_SYNTAX = "local/speck:latest";
/** Offline base images made by `testbed.sh images`. */
export const TOOLCHAIN_IMAGE = "local/speck-toolchain:c";
export const NODE_IMAGE = "local/speck-node:22";

declare module "vitest" {
  export interface ProvidedContext {
    /** Daemons to run every e2e test on; empty when the tier is skipped. */
    daemons: Daemon[];
    /** Why the e2e tier is skipped (empty when it runs). */
    e2eSkipReason: string;
  }
}
