import { describe, expect, it } from "vitest";
import { decodeMessage, encodeMessage, encodeReturnRequestWithRawStatus } from "./gateway.js";

describe("gateway wire format", () => {
  it("uses BuildKit's field numbers on the wire", () => {
    // SolveRequest: Definition=1 (bytes), allowResultReturn=5, allowResultArrayRef=6, Evaluate=14.
    const solve = encodeMessage("SolveRequest", { Definition: new Uint8Array([0xaa]), allowResultReturn: true, allowResultArrayRef: true, Evaluate: true });
    expect([...solve]).toEqual([0x0a, 1, 0xaa, 0x28, 1, 0x30, 1, 0x70, 1]);
    // ReadFileRequest.Range = 3 holding FileRange{Offset=1, Length=2}.
    expect([...encodeMessage("ReadFileRequest", { Range: { Offset: 5, Length: 7 } })]).toEqual([0x1a, 4, 0x08, 5, 0x10, 7]);
  });

  it("keeps nanosecond int64 values exact as bigint", () => {
    const modTime = 1732700000123456789n;
    const b = encodeMessage("StatFileResponse", { stat: { path: "f", modTime, mode: 0x80000000 + 0o755 } });
    const stat = decodeMessage("StatFileResponse", b).stat;
    expect(stat?.modTime).toBe(modTime);
    expect(stat?.mode).toBe(0x80000000 + 0o755);
  });

  it("embeds a raw status as ReturnRequest.error", () => {
    const status = encodeMessage("Status", { code: 3, message: "m" });
    expect(decodeMessage("ReturnRequest", encodeReturnRequestWithRawStatus(status)).error).toEqual({ code: 3, message: "m", details: [] });
  });
});
