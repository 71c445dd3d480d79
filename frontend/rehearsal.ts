// While the frontend image's startup snapshot is built, speck rehearses one
// whole build against canned gateway answers. V8 keeps the code it compiled
// for that build in the snapshot, so a real build starts with protobufjs'
// generated codecs, the YAML parser, the planner and LLB marshalling already
// compiled, instead of generating and compiling them on every build (measured
// on the image's node: first use of the gateway codecs 34-65 ms, of the spec
// parser 9-21 ms; from a rehearsed snapshot ~1 ms and ~2 ms).
//
// The rehearsal goes through the real Bridge, GatewayClient, build function
// and Return encoding; only the channel under the Bridge is canned. Nothing
// it does outlives it but compiled code and codec caches: no socket, no timer,
// no process hook. A build path that asks the daemon something the rehearsal
// cannot answer makes the rehearsal, and so the snapshot build, fail
// (frontend/snapshot.test.ts builds one from the bundle).

import type * as grpc from "@grpc/grpc-js";
import { decodeMessage, encodeMessage, LLB_BRIDGE_METHODS, type APICap, type LLBBridgeMethod, type MessageInit, type ResponseOf } from "../proto/gateway.js";
import { Bridge } from "./gateway/bridge.js";
import { CapSet } from "./gateway/caps.js";
import { GatewayClient } from "./gateway/client.js";
import type { BuildFunction } from "./gateway/run.js";
import { BuildOptions } from "./gateway/options.js";
import { ReturnOnce } from "./gateway/return-once.js";
import type { PbCodec } from "./gateway/codec.js";
import type { WorkerInfo } from "./gateway/workers.js";

const BUILD_FILE = "speck.yaml";
// A named toolchain (as air-gapped builds and the bench use) and the default one (alpine + apk).
const SPECS = ["sources: [rehearsal.c]\n", "sources: [rehearsal.c]\nprofile: tiny\npackages: [zlib-dev]\n"];
const ENVS: readonly NodeJS.ProcessEnv[] = [
  {
    BUILDKIT_SESSION_ID: "rehearsal",
    BUILDKIT_FRONTEND_OPT_0: `filename=${BUILD_FILE}`,
    BUILDKIT_FRONTEND_OPT_1: "platform=linux/amd64",
    BUILDKIT_FRONTEND_OPT_2: "context:toolchain=docker-image://rehearsal/toolchain:latest",
  },
  { BUILDKIT_SESSION_ID: "rehearsal", BUILDKIT_FRONTEND_OPT_0: `filename=${BUILD_FILE}`, BUILDKIT_FRONTEND_OPT_1: "platform=linux/amd64" },
];

function enabled(ids: readonly string[]): APICap[] {
  return ids.map((ID) => ({ ID, Enabled: true, Deprecated: false, DisabledReason: "", DisabledReasonMsg: "", DisabledAlternative: "" }));
}

// A daemon as new as the test bed's newest (BuildKit 0.25): every cap speck asks for.
const GATEWAY_CAPS = enabled([
  "solve.base", "solve.inlinereturn", "resolveimage", "readfile", "return", "returnmap", "readdir", "statfile",
  "importcaches", "proto.refarray", "reference.output", "frontend.inputs", "gateway.solve.evaluate",
  "gateway.evaluate", "gateway.warnings", "source.metaresolver",
]);
const LLB_CAPS = enabled([
  "source.image", "source.image.resolvemode", "source.local", "source.local.unique", "source.local.sessionid",
  "source.local.includepatterns", "source.local.followpaths", "source.local.excludepatterns", "source.local.sharedkeyhint",
  "source.local.differ", "exec.meta.base", "exec.meta.network", "exec.meta.proxyenv", "exec.mount.bind", "exec.mount.cache",
  "exec.mount.cache.sharing", "exec.mount.selector", "exec.mount.tmpfs", "constraints", "platform", "meta.ignorecache",
  "meta.description", "file.base", "mergeop", "diffop", "file.symlink.create",
]);

// The canned daemon is one linux/amd64 worker, whichever machine builds the snapshot: the arm64
// image's snapshot is written by the arm64 node (under qemu on an amd64 builder), and without a
// worker speck would take that node's own platform as the build platform, for which the canned
// amd64 toolchain has no variant (test/e2e/frontend-image-arm64.test.ts builds that image).
const WORKERS: readonly WorkerInfo[] = [{ id: "rehearsal", labels: {}, platforms: [{ os: "linux", architecture: "amd64" }] }];

/** A static x86-64 executable as far as speck's ELF check reads one: the ELF header and one PT_LOAD. */
function staticElf(): Uint8Array {
  const b = new Uint8Array(120);
  const v = new DataView(b.buffer);
  b.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]); // ELF64, little endian, version 1
  v.setUint16(16, 2, true); // ET_EXEC
  v.setUint16(18, 62, true); // EM_X86_64
  v.setUint32(20, 1, true);
  v.setBigUint64(24, 0x400078n, true); // e_entry
  v.setBigUint64(32, 64n, true); // e_phoff
  v.setUint16(52, 64, true); // e_ehsize
  v.setUint16(54, 56, true); // e_phentsize
  v.setUint16(56, 1, true); // e_phnum
  v.setUint32(64, 1, true); // PT_LOAD
  v.setUint32(68, 5, true); // R+X
  v.setBigUint64(80, 0x400000n, true); // p_vaddr
  v.setBigUint64(96, 120n, true); // p_filesz
  v.setBigUint64(104, 120n, true); // p_memsz
  return b;
}

const IMAGE_CONFIG = new TextEncoder().encode(JSON.stringify({ architecture: "amd64", os: "linux", config: { Env: ["PATH=/usr/bin:/bin"] }, rootfs: { type: "layers", diff_ids: [] } }));

/** What the daemon would answer, for one build of `spec`. */
function answers(spec: Uint8Array): { [M in LLBBridgeMethod]: (request: Uint8Array) => MessageInit<ResponseOf<M>> } {
  const elf = staticElf();
  let refs = 0;
  const fileFor = (path: string) => (path === BUILD_FILE ? spec : elf);
  return {
    Ping: () => ({ FrontendAPICaps: GATEWAY_CAPS, LLBCaps: LLB_CAPS }),
    Solve: () => ({ result: { ref: { id: `rehearsal-${++refs}` } } }),
    StatFile: (req) => {
      const path = decodeMessage("StatFileRequest", req).Path;
      return { stat: { path, mode: 0o755, size: fileFor(path).length } };
    },
    ReadFile: (req) => {
      const r = decodeMessage("ReadFileRequest", req);
      const data = fileFor(r.FilePath);
      const offset = Number(r.Range?.Offset ?? 0n);
      return { Data: data.subarray(offset, r.Range ? offset + Number(r.Range.Length) : undefined) };
    },
    ReadDir: () => ({ entries: [{ path: "rehearsal.c", mode: 0o644, size: 1 }] }),
    Evaluate: () => ({}),
    ResolveImageConfig: (req) => ({ Ref: decodeMessage("ResolveImageConfigRequest", req).Ref, Digest: `sha256:${"0".repeat(64)}`, Config: IMAGE_CONFIG }),
    ResolveSourceMeta: (req) => ({ Source: decodeMessage("ResolveSourceMetaRequest", req).Source, Image: { Digest: `sha256:${"0".repeat(64)}`, Config: IMAGE_CONFIG } }),
    Return: () => ({}),
    Inputs: () => ({ Definitions: {} }),
    Warn: () => ({}),
  };
}

/** The part of grpc.Client the Bridge uses, answering from `answers` with real encoding both ways. */
function cannedChannel(spec: Uint8Array): grpc.Client {
  const answer = answers(spec);
  const makeUnaryRequest = (
    path: string,
    serialize: (v: Uint8Array) => Buffer,
    deserialize: (b: Buffer) => unknown,
    request: Uint8Array,
    _options: unknown,
    callback: (err: grpc.ServiceError | null, value?: unknown) => void,
  ): void => {
    const method = path.slice(path.lastIndexOf("/") + 1) as LLBBridgeMethod;
    const reply = answer[method] as (r: Uint8Array) => MessageInit<ResponseOf<LLBBridgeMethod>>;
    const bytes = encodeMessage(LLB_BRIDGE_METHODS[method].response, reply(serialize(request)) as never);
    queueMicrotask(() => callback(null, deserialize(Buffer.from(bytes))));
  };
  return { makeUnaryRequest } as unknown as grpc.Client;
}

/** Runs `build` once per rehearsal spec, from Ping to Return, against canned answers. */
export async function rehearse(build: BuildFunction, codec: PbCodec): Promise<void> {
  for (const [i, text] of SPECS.entries()) {
    const bridge = new Bridge(cannedChannel(new TextEncoder().encode(`# syntax=speck\n${text}`)));
    const pong = await bridge.call("Ping", {});
    const env = ENVS[i % ENVS.length] ?? {};
    const client = new GatewayClient(bridge, codec, BuildOptions.fromEnv(env), WORKERS, {
      gateway: new CapSet("gateway", pong.FrontendAPICaps),
      llb: new CapSet("llb", pong.LLBCaps),
    });
    await new ReturnOnce(bridge, client.caps).result(await build(client));
  }
}
