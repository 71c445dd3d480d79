// A bench-only entry for the frontend bundle: the real frontend
// (frontend/frontend-main.ts, started as frontend/snapshot.ts starts it) with
// every gateway call timed. Each line goes to stderr, which BuildKit copies into
// the daemon log, prefixed "speck-trace" with milliseconds since the Node process
// started (performance.now()) and, at entry (the first line run after the
// snapshot was deserialised, or after the bundle was loaded without one) and
// exit, the CPU time used so far, so one build's start-up, each round trip and
// the gaps between them can be read back. Built into an image by
// bench/frontend.ts with SPECK_BUNDLE_ENTRY; never part of the product.

import { frontendMain, rehearseFrontend } from "../frontend/frontend-main.js";
import { Bridge } from "../frontend/gateway/bridge.js";
import { startFrontend } from "../frontend/startup.js";

const write = (line: string) => process.stderr.write(`speck-trace ${performance.now().toFixed(1)} ${line}\n`);
// CPU time beside wall time: on a busy shared machine wall time mostly measures the neighbours.
const cpuMs = () => {
  const u = process.cpuUsage();
  return ((u.user + u.system) / 1000).toFixed(1);
};
// call() encodes and hands over to callEncoded(), so this one wrapper sees every RPC once.
type CallEncoded = typeof Bridge.prototype.callEncoded;
const callEncoded: CallEncoded = Bridge.prototype.callEncoded;

Bridge.prototype.callEncoded = function (this: Bridge, ...args: Parameters<CallEncoded>): ReturnType<CallEncoded> {
  const t0 = performance.now();
  const done = () => write(`call ${String(args[0])} ${(performance.now() - t0).toFixed(1)}`);
  const p = callEncoded.apply(this, args);
  p.then(done, done);
  return p;
} as CallEncoded;

startFrontend(() => {
  write(`entry cpu ${cpuMs()}`);
  process.on("exit", (code) => write(`exit ${code} cpu ${cpuMs()}`));
  void frontendMain();
}, rehearseFrontend);
