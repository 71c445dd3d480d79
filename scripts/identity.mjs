// What a speck build says it is: version, git revision and source. bundle.mjs bakes it into the
// bundle (`speck version`, the first progress line of every build), and the Dockerfile writes the
// same values into the frontend image's OCI labels, from the build arguments of the same names.
//
//   node scripts/identity.mjs     prints SPECK_VERSION=..., SPECK_REVISION=..., SPECK_SOURCE=...
//
// Each value is taken from the environment variable of that name when set (the Dockerfile's build
// arguments reach the bundle step this way; the release workflow sets all three), else from this
// checkout: package.json's version, `git rev-parse HEAD`, and the `origin` remote as an https URL.
// What cannot be found is "unknown" (an image built from a tree without .git), never a guess.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const UNKNOWN = "unknown";

/** @returns {{ version: string, revision: string, source: string }} */
export function speckIdentity(root, env = process.env) {
  const pick = (name, find) => {
    const given = env[name];
    return given !== undefined && given !== "" ? given : (find() ?? UNKNOWN);
  };
  return {
    version: pick("SPECK_VERSION", () => JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version),
    revision: pick("SPECK_REVISION", () => git(root, ["rev-parse", "HEAD"])),
    source: pick("SPECK_SOURCE", () => httpsUrl(git(root, ["remote", "get-url", "origin"]))),
  };
}

function git(root, args) {
  try {
    return execFileSync("git", ["-C", root, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** `git@host:owner/repo.git` or `https://user:token@host/owner/repo.git` as `https://host/owner/repo`. */
export function httpsUrl(remote) {
  if (remote === undefined) return undefined;
  const scp = /^[^@/:]+@([^:/]+):(.+)$/.exec(remote);
  let url;
  try {
    url = new URL(scp ? `https://${scp[1]}/${scp[2]}` : remote);
  } catch {
    return undefined;
  }
  // A local path or a file:// remote names nothing a reader of the label could open.
  if (url.protocol !== "https:" && url.protocol !== "http:" && url.protocol !== "ssh:" && url.protocol !== "git:") return undefined;
  return `https://${url.hostname}${url.pathname.replace(/\.git$/, "").replace(/\/$/, "")}`;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const id = speckIdentity(resolve(dirname(fileURLToPath(import.meta.url)), ".."));
  process.stdout.write(`SPECK_VERSION=${id.version}\nSPECK_REVISION=${id.revision}\nSPECK_SOURCE=${id.source}\n`);
}
