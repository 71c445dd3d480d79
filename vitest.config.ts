import { defineConfig } from "vitest/config";

// Two tiers: unit tests next to the code they test (fast, no daemon) and the
// end-to-end tier under test/e2e that drives real BuildKit daemons.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["llb/**/*.test.ts", "frontend/**/*.test.ts", "proto/**/*.test.ts", "test/unit/**/*.test.ts", "bench/**/*.test.ts"],
          // Installs the compilers the ELF, profile and mixed-language tests run on the host.
          globalSetup: ["test/unit/global-setup.ts"],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          globalSetup: ["test/e2e/global-setup.ts"],
          testTimeout: 600_000,
          hookTimeout: 1_800_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
