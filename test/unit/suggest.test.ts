import { describe, expect, it } from "vitest";
import { closest, didYouMean, editDistance } from "../../src/import";

describe("did you mean", () => {
  it("counts a transposition as one edit and ignores case", () => {
    expect(editDistance("NC", "CN")).toBe(1);
    expect(editDistance("opneai", "openai")).toBe(1);
    expect(editDistance("scam", "SCAM")).toBe(0);
    expect(editDistance("kitten", "sitting")).toBe(3);
  });

  it("suggests close vocabulary values, nearest first, and nothing for a value far from all", () => {
    const categories = ["INFLUENCE_OPERATION", "CYBER_OPERATION", "SCAM", "PHISHING"];
    expect(didYouMean("CYBER_OPERATIONS", categories)).toBe("did you mean CYBER_OPERATION?");
    expect(didYouMean("INFLUENCE", categories)).toBe("did you mean INFLUENCE_OPERATION?");
    expect(didYouMean("MIND_CONTROL", categories)).toBeUndefined();
  });

  it("gives a short code a hint only when one code is nearer than the rest", () => {
    const codes = ["CN", "AX", "CX", "MX", "GB", "US"];
    expect(closest("NC", codes)).toEqual(["CN"]);
    expect(closest("XX", codes)).toEqual([]);
  });
});
