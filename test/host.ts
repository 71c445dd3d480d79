// What the test tiers' set-ups ask of the machine they run on: whether it can
// install and run what they need (root on Debian), and whether a command is on PATH.

import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";

export const APT_SOURCES = "/etc/apt/sources.list.d/debian.sources";

/** Why this machine cannot provision test-bed daemons or install host packages, or null when it can. */
export function cannotProvision(): string | null {
  if (process.platform !== "linux") return `the test bed needs Linux (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return "the test bed needs root (to run dockerd and to install host packages)";
  if (!existsSync(APT_SOURCES)) return `the test bed needs a Debian host (${APT_SOURCES} is missing)`;
  return null;
}

/** The directory on PATH that holds `command`, or undefined. */
export function onPath(command: string): string | undefined {
  return (process.env["PATH"] ?? "").split(delimiter).find((dir) => dir !== "" && existsSync(join(dir, command)));
}
