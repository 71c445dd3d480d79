// The build context, sent to the daemon with only the files the spec names
// (its sources, their headers, include directories and image files), and
// listed so globs can be expanded and symlinks checked.

import { encodeDefinition, local, marshal, type State } from "../../llb/index.js";
import type { GatewayClient, Reference } from "../gateway/index.js";
import { spanOf, type Spec } from "../speckfile/index.js";
import { UserError, type Problem } from "../errors.js";

export interface Context {
  readonly state: State;
  /** Every regular file transferred, relative with `/`, sorted. */
  readonly files: readonly string[];
  /** The solved context (undefined when nothing was sent), for reading files back (go.mod; the SBOM hashes them). */
  readonly ref?: Reference | undefined;
}

// Go's os.FileMode bits, as fsutil's Stat.mode carries them.
const MODE_DIR = 0x80000000;
const MODE_SYMLINK = 1 << 27;
const MODE_TYPE = 0x8f000000 | (1 << 26) | (1 << 25) | (1 << 24) | (1 << 21) | (1 << 19);

/** The context as an LLB source: include patterns keep everything else on the client. */
export function contextState(client: GatewayClient, patterns: readonly string[]): State {
  return local("context", {
    sessionId: client.options.localSessionId("context"),
    includePatterns: patterns,
    // A named source may be a link to a file elsewhere in the context: follow
    // paths make the client send the link's target too, not a dangling link.
    followPaths: patterns,
    sharedKeyHint: "context",
    customName: "[internal] load build context",
  });
}

export async function loadContext(client: GatewayClient, spec: Spec, patterns: readonly string[]): Promise<Context> {
  const state = contextState(client, patterns);
  const { ref } = await client.solve({ definition: encodeDefinition(marshal(state, { platform: "linux/amd64" })) });
  const files: string[] = [];
  const problems: Problem[] = [];
  if (ref) await walk(client, ref, ".", files, problems, spec);
  if (problems.length > 0) throw new UserError(problems, spec.file);
  return { state, files: files.sort(), ref };
}

async function walk(client: GatewayClient, ref: Reference, dir: string, files: string[], problems: Problem[], spec: Spec): Promise<void> {
  for (const entry of await client.readDir(ref, dir)) {
    const path = dir === "." ? entry.path : `${dir}/${entry.path}`;
    const mode = entry.mode >>> 0;
    if (mode & MODE_DIR) {
      await walk(client, ref, path, files, problems, spec);
    } else if (mode & MODE_SYMLINK) {
      if (escapes(path, entry.linkname)) {
        const span = spanOf(spec, "sources");
        problems.push({
          message: `\`${path}\` is a symbolic link to \`${entry.linkname}\`, outside the build context`,
          ...(span ? { span } : {}),
          hint: "copy the file into the context instead of linking to it",
        });
      } else {
        files.push(path);
      }
    } else if ((mode & MODE_TYPE) === 0) {
      files.push(path);
    }
  }
}

/** Whether a link at `path` pointing to `target` leaves the context's root. */
export function escapes(path: string, target: string): boolean {
  if (target.startsWith("/")) return true;
  const parts = path.split("/").slice(0, -1);
  for (const seg of target.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") {
      if (parts.length === 0) return true;
      parts.pop();
    } else parts.push(seg);
  }
  return false;
}
