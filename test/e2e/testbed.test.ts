// Smoke test of the test bed itself: each daemon builds with the offline toolchain image, and the
// frontend image built from the project's Dockerfile carries what BuildKit needs to launch it.
import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { buildx, describeDaemons, docker, FRONTEND_IMAGE, fixture, imageLayers, inspectImage } from "./helpers.js";

describeDaemons("test bed", (daemon) => {
  it("builds a static C binary into a scratch image that runs", async () => {
    // A fresh message each run, so a stale image or cache cannot pass.
    const message = `speck ${daemon.name} ${randomUUID()}`;
    const dir = await fixture({
      "p.c": `#include <stdio.h>\nint main(void) { puts("${message}"); return 0; }\n`,
      Dockerfile: [
        "FROM local/speck-toolchain:c AS b",
        "COPY p.c /p.c",
        // Exec form: the toolchain image is how speck builds, and speck never uses a shell.
        'RUN ["cc", "-static", "-Os", "-s", "-o", "/p", "/p.c"]',
        "FROM scratch",
        "COPY --from=b /p /p",
        'ENTRYPOINT ["/p"]',
      ].join("\n"),
    });
    const tag = `speck-e2e/smoke:${daemon.name}`;
    await buildx(daemon, { context: dir, tags: [tag], load: true });

    const out = await docker(daemon, ["run", "--rm", "--network=none", tag]);
    expect(out.stdout).toBe(`${message}\n`);

    const layers = await imageLayers(daemon, tag);
    const files = layers.flat().filter((e) => e.type === "-");
    expect(files.map((f) => f.path)).toEqual(["p"]);
    // A static, stripped musl hello world is about 13 KiB; glibc static would be ~700 KiB.
    expect(files[0]?.size).toBeLessThan(64 * 1024);
    await docker(daemon, ["image", "rm", tag]);
  });

  it("has the frontend image with BuildKit's launch contract", async () => {
    const image = await inspectImage(daemon, FRONTEND_IMAGE);
    expect(image.Config.Entrypoint).toEqual(["/usr/local/bin/node", "--snapshot-blob", "/speck/speck.blob"]);
    expect(image.Config.Labels?.["moby.buildkit.frontend.network.none"]).toBe("true");
    expect(image.Config.Labels?.["moby.buildkit.frontend.caps"]?.split(",").sort()).toEqual([
      "moby.buildkit.frontend.contexts",
      "moby.buildkit.frontend.inputs",
      "moby.buildkit.frontend.subrequests",
    ]);
    const files = (await imageLayers(daemon, FRONTEND_IMAGE)).flat().map((e) => e.path);
    expect(files).toContain("speck/speck.blob");
    expect(files).toContain("usr/local/bin/node");
  });
});
