// `speck sbom PATH`: the SBOM a build attested, read back from what
// `docker buildx build --sbom=true` wrote locally, with no registry:
//
//   --output type=oci,dest=image.tar           an OCI archive (tar), or with
//   --output type=oci,dest=dir,tar=false       an OCI layout directory: the
//       index's attestation manifests hold one in-toto statement per layer;
//   --output type=local,dest=dir               the local exporter's
//       sbom.spdx.json, the statement itself (BuildKit exporter/local/fs.go).
//
// Tar archives are read with the system's tar (an argv, no shell), as the
// frontend bundle should not carry a tar library for one CLI verb.

import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../errors.js";
import { SPDX_PREDICATE_TYPE } from "./spdx.js";

interface Descriptor {
  readonly digest: string;
  readonly platform?: { readonly os: string; readonly architecture: string; readonly variant?: string };
  readonly annotations?: Readonly<Record<string, string>>;
}

/** The SPDX documents in PATH, keyed by platform (`linux/amd64`; `` when the output does not say). */
export function readAttestedSboms(path: string): Map<string, unknown> {
  if (!existsSync(path)) throw new UserError(`${path}: no such file or directory`);
  const local = join(path, "sbom.spdx.json");
  if (statSync(path).isDirectory() && existsSync(local)) return new Map([["", predicateOf(JSON.parse(readFileSync(local, "utf8")), local)]]);
  const read = statSync(path).isDirectory() ? (name: string) => readFileSync(join(path, name)) : tarReader(path);
  let top: { manifests?: Descriptor[] };
  try {
    top = JSON.parse(read("index.json").toString("utf8")) as typeof top;
  } catch {
    throw new UserError(`${path}: not an OCI layout or archive (no index.json), nor a local export with sbom.spdx.json`);
  }
  const json = <T>(digest: string): T => JSON.parse(read(`blobs/${digest.replace(":", "/")}`).toString("utf8")) as T;
  const out = new Map<string, unknown>();
  const visit = (manifests: readonly Descriptor[]): void => {
    for (const m of manifests) {
      if (m.annotations?.["vnd.docker.reference.type"] !== "attestation-manifest") continue;
      const subject = manifests.find((x) => x.digest === m.annotations?.["vnd.docker.reference.digest"]);
      const platform = subject?.platform ? [subject.platform.os, subject.platform.architecture, subject.platform.variant].filter(Boolean).join("/") : "";
      for (const layer of json<{ layers: Descriptor[] }>(m.digest).layers) {
        if (layer.annotations?.["in-toto.io/predicate-type"] !== SPDX_PREDICATE_TYPE) continue;
        out.set(platform, predicateOf(json(layer.digest), layer.digest));
      }
    }
  };
  // index.json names the image index (BuildKit's OCI output) whose manifests carry the attestations.
  for (const d of top.manifests ?? []) {
    const inner = json<{ manifests?: Descriptor[] }>(d.digest);
    if (inner.manifests) visit(inner.manifests);
  }
  if (out.size === 0) throw new UserError(`${path}: the image has no SPDX attestation; build it with --sbom=true`);
  return out;
}

function predicateOf(statement: unknown, where: string): unknown {
  const s = statement as { predicateType?: unknown; predicate?: unknown };
  if (s.predicateType !== SPDX_PREDICATE_TYPE || s.predicate === undefined) throw new UserError(`${where}: not an in-toto statement with an SPDX predicate`);
  return s.predicate;
}

function tarReader(archive: string): (name: string) => Buffer {
  let names: Set<string>;
  try {
    names = new Set(execFileSync("tar", ["-tf", archive], { encoding: "utf8", maxBuffer: 64 << 20 }).split("\n"));
  } catch (e) {
    throw new UserError(`${archive}: cannot list it with tar: ${(e as Error).message.split("\n")[0]}`);
  }
  return (name) => {
    const member = names.has(name) ? name : `./${name}`;
    if (!names.has(member)) throw new UserError(`${archive}: no ${name} in the archive`);
    return execFileSync("tar", ["-xOf", archive, member], { maxBuffer: 1 << 30 });
  };
}
