// /etc/os-release (freedesktop.org os-release(5)): `KEY=value` lines, values
// optionally quoted. Only ID and VERSION_ID are needed, for package URLs.

export function parseOsRelease(text: string): { id: string; versionId?: string } | undefined {
  const fields = new Map<string, string>();
  for (const line of text.split("\n")) {
    const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (!m) continue;
    fields.set(m[1] ?? "", (m[2] ?? "").replace(/^(["'])(.*)\1$/, "$2"));
  }
  const id = fields.get("ID");
  if (id === undefined || id === "") return undefined;
  const versionId = fields.get("VERSION_ID");
  return versionId !== undefined && versionId !== "" ? { id, versionId } : { id };
}
