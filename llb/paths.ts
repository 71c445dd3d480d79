// POSIX path helpers with Go's path.Clean/path.Join semantics (Node's
// path.posix differs: it keeps ".." above "/" in some forms and trailing slashes).

/** Go's path.Clean. */
export function cleanPath(p: string): string {
  if (p === "") return ".";
  // Fast path: already clean (no empty, "." or ".." components, no trailing slash).
  if (p === "/" || (p.startsWith("/") && !p.endsWith("/") && !/\/\.{0,2}(?:\/|$)/.test(p))) return p;
  const rooted = p.startsWith("/");
  const out: string[] = [];
  for (const part of p.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
      else if (!rooted) out.push("..");
      continue;
    }
    out.push(part);
  }
  const joined = out.join("/");
  if (rooted) return "/" + joined;
  return joined === "" ? "." : joined;
}

/** Go's path.Join: joins non-empty elements and cleans the result. */
export function joinPath(...parts: string[]): string {
  const nonEmpty = parts.filter((p) => p !== "");
  return nonEmpty.length === 0 ? "" : cleanPath(nonEmpty.join("/"));
}

export function isAbsPath(p: string): boolean {
  return p.startsWith("/");
}
