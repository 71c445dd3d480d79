// The SBOM's creator line names speck's version (SPDX clause 6.8, `Tool: name-version`).
import pkg from "../../package.json" with { type: "json" };

export const SPECK_TOOL = `speck-${pkg.version}`;
