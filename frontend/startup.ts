// How the frontend process starts. The frontend image runs speck from a V8
// startup snapshot (Dockerfile): `node --build-snapshot` ran the entry once at
// image build time, so every build deserialises a heap with the bundle already
// compiled and its modules initialised instead of parsing and running them.
// Node cannot snapshot node:http2, so the gateway transport (grpc-js) is loaded
// after deserialising (gateway/run.ts imports it on first use).
//
// An entry calls startFrontend(main, rehearse) at its top level: while a
// snapshot is being built, main is registered to run when the snapshot is
// deserialised, and `rehearse` runs once so the snapshot holds its compiled
// code (frontend/rehearsal.ts); run as a plain script, main runs at once.

import { startupSnapshot } from "node:v8";

export type StartedFrom = "snapshot" | "script";

/** Set to 1, the frontend says on stderr how it started, before its first gateway call. */
export const STARTUP_REPORT_ENV = "SPECK_STARTUP_REPORT";

export function startupReport(from: StartedFrom): string {
  return from === "snapshot" ? "speck: started from the V8 startup snapshot" : "speck: started from the script (no startup snapshot)";
}

export function startFrontend(main: (from: StartedFrom) => void, rehearse?: () => Promise<void>): void {
  const begin = (from: StartedFrom): void => {
    if (process.env[STARTUP_REPORT_ENV] === "1") process.stderr.write(`${startupReport(from)}\n`);
    main(from);
  };
  if (!startupSnapshot.isBuildingSnapshot()) return begin("script");
  startupSnapshot.setDeserializeMainFunction(() => begin("snapshot"));
  // The snapshot is written once the event loop is empty, so after the rehearsal.
  // A rehearsal that fails fails the snapshot build: better than an image that is quietly cold.
  rehearse?.().catch((e: unknown) => {
    process.stderr.write(`speck: the snapshot rehearsal failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  });
}
