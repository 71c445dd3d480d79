import { describe, expect, it } from "vitest";
import { configureErrors, unusedOptions } from "./project-stage.js";

// The shapes of CMake 3.31's and Meson 1.7's configure output (as the test bed's stand-in printed them).
const CMAKE_FAIL = `-- The C compiler identification is Clang 19.1.7
-- Detecting C compiler ABI info - done
CMake Error at CMakeLists.txt:12 (message):
  broken on purpose


-- Configuring incomplete, errors occurred!
`;
const CMAKE_UNUSED = `-- Generating done (0.0s)
CMake Warning:
  Manually-specified variables were not used by the project:

    NOPE
    ALSO_NOT


-- Build files have been written to: /build
`;

describe("the configure log", () => {
  it("shows the tool's own error from its first line, with the file and line it names", () => {
    expect(configureErrors(CMAKE_FAIL)).toBe("CMake Error at CMakeLists.txt:12 (message):\n  broken on purpose\n\n\n-- Configuring incomplete, errors occurred!");
    expect(configureErrors("The Meson build system\nmeson.build:3:0: ERROR: Unknown options: \"nope\"\n")).toBe('meson.build:3:0: ERROR: Unknown options: "nope"');
  });
  it("with no error line, the log's last lines", () => {
    expect(configureErrors("a\nb\n")).toBe("a\nb");
  });
  it("names the options CMake did not use, and none when it used them all", () => {
    expect(unusedOptions(CMAKE_UNUSED)).toEqual(["NOPE", "ALSO_NOT"]);
    expect(unusedOptions(CMAKE_FAIL)).toEqual([]);
  });
});
