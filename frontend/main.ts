// speck's entry point. `speck frontend` (the image's ENTRYPOINT) goes straight
// to the gateway runtime: every build starts this process, so it skips
// argument parsing and loads nothing the build does not need.

if (process.argv[2] === "frontend" && process.argv.length === 3) {
  const [{ run }, { build }, { pbCodec }] = await Promise.all([
    import("./gateway/index.js"),
    import("./pipeline/build.js"),
    import("./pb-codec.js"),
  ]);
  await run(build, { codec: pbCodec });
} else {
  const { main } = await import("./cli.js");
  process.exitCode = await main(process.argv.slice(2));
}
