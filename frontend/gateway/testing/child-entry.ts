// A tiny frontend for the process-level tests: behaves as SPECK_TEST_MODE says.
import { UserError } from "../../errors.js";
import { ResultBuilder } from "../result.js";
import { run } from "../run.js";
import { jsonCodec } from "./json-codec.js";

await run(
  async (client) => {
    const mode = process.env.SPECK_TEST_MODE;
    // Would corrupt the HTTP/2 stream if the stdout guard did not work.
    console.log("log line that must go to stderr");
    if (mode === "user-error") {
      throw new UserError([{ message: "unknown key `clfags`", span: { start: { line: 2, column: 1 }, end: { line: 2, column: 7 } }, hint: "did you mean `cflags`?" }], {
        name: "speck.yaml",
        data: Buffer.from("name: x\nclfags: []\n"),
        language: "YAML",
      });
    }
    if (mode === "hang") await new Promise(() => {});
    const target = client.options.target ?? "";
    return new ResultBuilder(false).setMetadata("target", target).finalize();
  },
  { codec: jsonCodec, pingTimeoutMs: 5_000 },
);
