// Bundles the frontend into one ES module, dist/speck.mjs: the `speck` bin of the npm package
// (one file with no module resolution keeps start-up short), or with --snapshot into the
// script the frontend image's startup snapshot is built from.
//
//   node scripts/bundle.mjs [--entry frontend/main.ts] [--outfile dist/speck.mjs] [--sourcemap]
//   node scripts/bundle.mjs --snapshot [--entry frontend/snapshot.ts] --outfile DIR/snapshot.cjs
//
// --snapshot writes the entry the frontend image's V8 startup snapshot is built from
// (`node --snapshot-blob B --build-snapshot snapshot.cjs`, see the Dockerfile): CommonJS, as
// `--build-snapshot` takes one script, not a module, and with no top-level await.
//
// The bundle carries speck's version, git revision and source (scripts/identity.mjs; the
// environment variables SPECK_VERSION, SPECK_REVISION and SPECK_SOURCE override them).
//
// No minification: stack traces and the daemon log stay readable, and parse time barely
// changes. No source map by default; --sourcemap writes an external one next to the bundle
// (run node with --enable-source-maps to use it).
import { build } from "esbuild";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { dirname, relative, resolve } from "node:path";
import { speckIdentity } from "./identity.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({
  options: {
    entry: { type: "string" },
    outfile: { type: "string" },
    sourcemap: { type: "boolean", default: false },
    snapshot: { type: "boolean", default: false },
  },
});
const snapshot = values.snapshot;
if (snapshot && values.outfile === undefined) throw new Error("bundle: --snapshot needs --outfile");
// Paths given on the command line are relative to where it runs (esbuild's own base is the repo).
const entry = values.entry !== undefined ? resolve(values.entry) : resolve(root, snapshot ? "frontend/snapshot.ts" : "frontend/main.ts");
const outfile = values.outfile !== undefined ? resolve(values.outfile) : resolve(root, "dist/speck.mjs");

// grpc-js and protobufjs are CommonJS and call require() for node built-ins; in an ES module
// bundle there is no require, so the banner defines one.
const banner = [
  "#!/usr/bin/env node",
  'import { createRequire as __speckCreateRequire } from "node:module";',
  "const require = __speckCreateRequire(import.meta.url);",
].join("\n");

const result = await build({
  entryPoints: [entry],
  outfile,
  absWorkingDir: root,
  bundle: true,
  platform: "node",
  format: snapshot ? "cjs" : "esm",
  target: "node20",
  // CommonJS has its own require.
  ...(snapshot ? {} : { banner: { js: banner } }),
  minify: false,
  sourcemap: values.sourcemap ? "linked" : false,
  legalComments: "eof",
  // frontend/version.ts reads it: what `speck version` and each build's first progress line say.
  define: { __SPECK_IDENTITY__: JSON.stringify(speckIdentity(root)) },
  metafile: true,
  logLevel: "warning",
});

const [out] = Object.entries(result.metafile.outputs).filter(([file]) => !file.endsWith(".map"));
if (out !== undefined) {
  const [file, { bytes }] = out;
  process.stderr.write(`bundle: ${relative(process.cwd(), resolve(root, file))} ${(bytes / 1024).toFixed(0)} KiB\n`);
}
