// The bench's own unit tests (pure helpers; no daemon). Until bench/ is in the
// root config's unit project, run them with: npx vitest run -c bench/vitest.config.ts
import { defineConfig } from "vitest/config";

export default defineConfig({ test: { include: ["bench/**/*.test.ts"], root: new URL("..", import.meta.url).pathname } });
