import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { groupThousands } from "./format.js";

describe("groupThousands", () => {
  it("groups by three from the right", () => {
    expect([0, 7, 999, 1000, 13304, 1048576, -4080].map(groupThousands)).toEqual(["0", "7", "999", "1,000", "13,304", "1,048,576", "-4,080"]);
  });

  it("agrees with Intl's en-US grouping for every safe integer", () => {
    fc.assert(fc.property(fc.maxSafeInteger(), (n) => groupThousands(n) === n.toLocaleString("en-US")));
  });

  it("leaves non-integers alone", () => {
    expect(groupThousands(1.5)).toBe("1.5");
  });
});
