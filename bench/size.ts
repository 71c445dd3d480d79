// Section "size": binary and image bytes of every example under every speck
// profile, beside the same program from a hand-written multi-stage Dockerfile
// (`cc -static -Os -s`, musl), and pausle as a glibc static binary for context.

import type { Daemon } from "../test/e2e/daemon.js";
import { docker } from "../test/e2e/docker.js";
import { dockerfileBuild, EXAMPLES, GO_TOOLCHAIN_IMAGE, exampleCopy, PROFILES, removeDir, setProfile, speckBuild, type Example } from "./builds.js";
import { imageBytes } from "./image-bytes.js";
import { daemonOf, type BenchContext, type Row, type Section, type SectionResult, type Target } from "./section.js";

const SIZE_LABEL = "dev.speck.binary.size";

interface Measured {
  readonly row: Row;
  readonly binary: number | undefined;
  readonly problem?: string;
}

async function measure(d: Daemon, tag: string, ex: Example, build: string, withLabel: boolean): Promise<Measured> {
  const img = await imageBytes(d, tag);
  const inLayer = img.files.get(ex.binary);
  const label = img.labels[SIZE_LABEL];
  const labelBytes = label === undefined ? undefined : Number(label);
  const others = [...img.files.keys()].filter((p) => p !== ex.binary);
  let problem: string | undefined;
  if (inLayer === undefined) problem = `${ex.name}/${build}: no /${ex.binary} in the layers`;
  else if (withLabel && labelBytes !== inLayer) problem = `${ex.name}/${build}: label ${SIZE_LABEL}=${label ?? "(missing)"} but the layer holds ${inLayer} B`;
  else if (others.length > 0) problem = `${ex.name}/${build}: the image also holds ${others.join(", ")}`;
  const row: Row = {
    example: ex.name,
    build,
    "binary B": inLayer ?? "missing",
    ...(withLabel ? { "label B": labelBytes ?? "missing" } : {}),
    "layer tar B": img.layersUncompressed,
    "layer gz B": img.layersCompressed,
    "image B (gz+config+manifest)": img.imageCompressed,
  };
  return { row, binary: inLayer, ...(problem === undefined ? {} : { problem }) };
}

function failed(ex: Example, build: string, e: unknown): Row {
  const first = (e instanceof Error ? e.message : String(e)).split("\n")[0] ?? "";
  return { example: ex.name, build, "binary B": `FAILED: ${first.slice(0, 80)}` };
}

async function sizeSection(ctx: BenchContext): Promise<SectionResult> {
  const d = daemonOf(ctx);
  const rows: Row[] = [];
  const notes: string[] = [];
  const pausle = new Map<string, number>();
  /** Go binary bytes by example and build, for the Go targets. */
  const goBytes = new Map<string, number>();
  const tags: string[] = [];
  for (const ex of EXAMPLES) {
    const dir = await exampleCopy(ex.name);
    try {
      for (const profile of PROFILES) {
        const tag = `speck-bench/${ex.name}:${profile}`;
        const build = `speck ${profile}`;
        ctx.log(`size: ${ex.name} ${build}`);
        try {
          await setProfile(dir, profile);
          await speckBuild(d, { dir, tag, timeoutMs: ctx.buildTimeoutMs, ...(ex.toolchain ? { toolchain: ex.toolchain } : {}) });
          tags.push(tag);
          const m = await measure(d, tag, ex, build, true);
          rows.push(m.row);
          if (m.problem !== undefined) notes.push(m.problem);
          if (ex.name === "pausle" && m.binary !== undefined) pausle.set(profile, m.binary);
          if (ex.toolchain === GO_TOOLCHAIN_IMAGE && m.binary !== undefined) goBytes.set(`${ex.name} ${profile}`, m.binary);
        } catch (e) {
          rows.push(failed(ex, build, e));
        }
      }
      // The toolchain's cc is musl-gcc; its c++ is Debian's glibc g++ (no musl libstdc++ there).
      const compiler = ex.binary === "cpp-demo" ? "c++ (glibc)" : "cc (musl)";
      const how = ex.toolchain === GO_TOOLCHAIN_IMAGE ? "CGO_ENABLED=0 go build -ldflags='-s -w'" : `${compiler} -static -Os -s`;
      const variants = [{ file: `${ex.name}.Dockerfile`, build: `Dockerfile ${how}`, tag: "dockerfile" }];
      if (ex.name === "pausle") variants.push({ file: "pausle-glibc.Dockerfile", build: "Dockerfile gcc (glibc) -static -Os -s", tag: "dockerfile-glibc" });
      for (const v of variants) {
        const tag = `speck-bench/${ex.name}:${v.tag}`;
        ctx.log(`size: ${ex.name} ${v.build}`);
        try {
          await dockerfileBuild(d, { dir, dockerfile: v.file, tag, timeoutMs: ctx.buildTimeoutMs });
          tags.push(tag);
          const m = await measure(d, tag, ex, v.build, false);
          rows.push(m.row);
          if (ex.toolchain === GO_TOOLCHAIN_IMAGE && m.binary !== undefined && v.tag === "dockerfile") goBytes.set(`${ex.name} Dockerfile`, m.binary);
          if (m.problem !== undefined) notes.push(m.problem);
        } catch (e) {
          rows.push(failed(ex, v.build, e));
        }
      }
    } finally {
      await removeDir(dir);
    }
  }
  await docker(d, ["image", "rm", "-f", ...tags], { check: false });
  const target = (profile: string, limit: number): Target => {
    const got = pausle.get(profile);
    return {
      what: `pausle binary, profile ${profile}`,
      goal: `<= ${limit.toLocaleString("en-US")} B`,
      measured: got === undefined ? "not built" : `${got.toLocaleString("en-US")} B`,
      met: got !== undefined && got <= limit,
    };
  };
  // Go: `size` may not be larger than the usual Dockerfile's binary, `tiny` must be smaller.
  const goTargets: Target[] = EXAMPLES.filter((ex) => ex.toolchain === GO_TOOLCHAIN_IMAGE).flatMap((ex) => {
    const df = goBytes.get(`${ex.name} Dockerfile`);
    return (["size", "tiny"] as const).map((p) => {
      const got = goBytes.get(`${ex.name} ${p}`);
      const met = got !== undefined && df !== undefined && (p === "size" ? got <= df : got < df);
      return {
        what: `${ex.name} binary, profile ${p}, vs Dockerfile`,
        goal: p === "size" ? "<= the Dockerfile's" : "< the Dockerfile's",
        measured: got === undefined || df === undefined ? "not built" : `${got.toLocaleString("en-US")} B vs ${df.toLocaleString("en-US")} B`,
        met,
      };
    });
  });
  notes.push(
    "Go Dockerfile rows: bench/dockerfiles/go-*.Dockerfile, FROM local/speck-toolchain:go, COPY go.mod + go mod download, COPY . + CGO_ENABLED=0 go build -ldflags='-s -w', FROM scratch + COPY; speck gets the same image as its toolchain context.",
    "binary B: the file in the image's layer; label B: the image label dev.speck.binary.size (speck's own report), which must agree.",
    "Dockerfile rows: bench/dockerfiles/<example>.Dockerfile, FROM local/speck-toolchain:c, RUN cc or c++ -static -Os -s, FROM scratch + COPY. The toolchain image's cc is musl-gcc and its c++ is Debian's glibc g++; speck compiles with the same image's clang and lld (its default compiler), against musl for C and, in this test double only, glibc for C++.",
    "glibc row: Debian's /usr/bin/gcc -static -Os -s, the kind of build behind the blog's 727 kB figure.",
  );
  return { tables: [{ title: "size: bytes per example and build (speck profiles vs hand-written Dockerfile)", rows }], targets: [target("size", 13_400), target("tiny", 3_600), ...goTargets], notes };
}

export const SIZE: Section = { id: "size", title: "binary and image bytes", needsDaemon: true, run: sizeSection };
