// Docker image references, normalized as Go's reference.ParseNormalizedNamed
// followed by reference.TagNameOnly: `alpine` -> `docker.io/library/alpine:latest`,
// `ghcr.io/o/r@sha256:…` kept as is. The identifier is hashed into the op, so
// two spellings of one image must give the same string.

import { LlbError } from "./errors.js";

const pathComponent = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const domainRe = /^(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?$/;
const tagRe = /^[\w][\w.-]{0,127}$/;
const digestRe = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
const hex64 = /^[a-f0-9]{64}$/;

function invalid(ref: string, why: string): LlbError {
  return new LlbError("INVALID_REFERENCE", `invalid image reference "${ref}": ${why}`);
}

export interface ImageReference {
  /** e.g. `docker.io/library/alpine` */
  readonly name: string;
  readonly tag?: string;
  readonly digest?: string;
}

export function parseImageReference(ref: string): ImageReference {
  if (ref === "") throw invalid(ref, "it is empty");
  if (hex64.test(ref)) throw invalid(ref, "a 64-character hexadecimal string is an image ID, not a reference");
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!digestRe.test(digest)) throw invalid(ref, `"${digest}" is not a digest (expected e.g. sha256:<64 hex digits>)`);
    if (digest.startsWith("sha256:") && !hex64.test(digest.slice(7))) {
      throw invalid(ref, "a sha256 digest has exactly 64 lowercase hexadecimal digits");
    }
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(":");
  if (colon > rest.lastIndexOf("/")) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!tagRe.test(tag)) throw invalid(ref, `"${tag}" is not a valid tag`);
  }
  if (rest === "") throw invalid(ref, "the repository name is missing");

  // Go's splitDockerDomain: the first component is a registry only if it looks like a host.
  let domain = "docker.io";
  let path = rest;
  const slash = rest.indexOf("/");
  if (slash >= 0) {
    const first = rest.slice(0, slash);
    if (first.includes(".") || first.includes(":") || first === "localhost" || first.toLowerCase() !== first) {
      domain = first;
      path = rest.slice(slash + 1);
    }
  }
  if (domain === "index.docker.io") domain = "docker.io";
  if (domain === "docker.io" && !path.includes("/")) path = `library/${path}`;
  if (!domainRe.test(domain)) throw invalid(ref, `"${domain}" is not a valid registry host`);
  for (const c of path.split("/")) {
    if (c.toLowerCase() !== c) throw invalid(ref, "repository name must be lowercase");
    if (!pathComponent.test(c)) throw invalid(ref, `"${c}" is not a valid path component (lowercase letters, digits, and . _ - separators)`);
  }
  const name = `${domain}/${path}`;
  if (name.length > 255) throw invalid(ref, "repository name must not be longer than 255 characters");
  return { name, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

/** The canonical string BuildKit expects after `docker-image://`. */
export function normalizeImageRef(ref: string): string {
  const r = parseImageReference(ref);
  const tag = r.tag ?? (r.digest === undefined ? "latest" : undefined);
  return `${r.name}${tag !== undefined ? `:${tag}` : ""}${r.digest !== undefined ? `@${r.digest}` : ""}`;
}
