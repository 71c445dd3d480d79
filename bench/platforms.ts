// Section "platforms" (issue 6), a stub for the multi-platform work: it will
// time `--platform linux/amd64,linux/arm64` for pausle and hello beside the sum
// of the two single-platform builds. Until then it reports that it is not
// measured, so `--only platforms` says so instead of printing nothing.

import type { BenchContext, Section, SectionResult } from "./section.js";

async function platformsSection(_ctx: BenchContext): Promise<SectionResult> {
  return {
    tables: [],
    targets: [],
    notes: ["platforms: not measured yet (issue 6: two-platform build time vs the sum of the two single-platform builds)."],
  };
}

export const PLATFORMS: Section = { id: "platforms", title: "multi-platform build time", needsDaemon: false, run: platformsSection };
