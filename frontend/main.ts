// speck's entry point. `speck frontend` goes straight
// to the gateway runtime: every build starts this process, so it skips
// argument parsing and loads nothing the build does not need. (The frontend
// image does not come through here: it starts from a V8 startup snapshot of
// frontend/snapshot.ts.)

if (process.argv[2] === "frontend" && process.argv.length === 3) {
  const { frontendMain } = await import("./frontend-main.js");
  await frontendMain();
} else {
  const { main } = await import("./cli.js");
  process.exitCode = await main(process.argv.slice(2));
}
