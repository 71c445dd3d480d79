// BUILDKIT_WORKERS: the JSON list of the daemon's workers (BuildKit client.WorkerInfo).
// Go reads it with encoding/json, which matches keys case-insensitively; so do we.

import { normalizePlatform, type Platform } from "./platforms.js";

export interface WorkerInfo {
  readonly id: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly platforms: readonly Platform[];
}

function field(obj: unknown, name: string): unknown {
  if (obj === null || typeof obj !== "object") return undefined;
  const key = Object.keys(obj).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : (obj as Record<string, unknown>)[key];
}

function str(v: unknown): string {
  return typeof v === "string" ? v : "";
}

/** Parses BUILDKIT_WORKERS; a missing or malformed value yields no workers (the host platform is then the default). */
export function parseWorkers(json: string | undefined): WorkerInfo[] {
  if (!json) return [];
  let list: unknown;
  try {
    list = JSON.parse(json);
  } catch {
    process.stderr.write("speck: ignoring unparsable BUILDKIT_WORKERS\n");
    return [];
  }
  if (!Array.isArray(list)) return [];
  return list.map((w: unknown) => {
    const labels: Record<string, string> = {};
    const rawLabels = field(w, "labels");
    if (rawLabels && typeof rawLabels === "object") for (const [k, v] of Object.entries(rawLabels)) labels[k] = str(v);
    const rawPlatforms = field(w, "platforms");
    const platforms = (Array.isArray(rawPlatforms) ? rawPlatforms : [])
      .map((p: unknown) => {
        const variant = str(field(p, "variant"));
        const osVersion = str(field(p, "os.version"));
        return { os: str(field(p, "os")), architecture: str(field(p, "architecture")), ...(variant ? { variant } : {}), ...(osVersion ? { osVersion } : {}) };
      })
      .filter((p) => p.os && p.architecture)
      .map(normalizePlatform);
    return { id: str(field(w, "id")), labels, platforms };
  });
}
