import { describe, expect, it } from "vitest";
import { stixId, uuidv5 } from "../../src/export";

describe("UUIDv5 STIX identifiers", () => {
  it("match RFC 4122 version 5 as Python's uuid module computes it", () => {
    // uuid.uuid5(uuid.NAMESPACE_DNS, "python.org") in the Python documentation's examples.
    expect(uuidv5("python.org", "6ba7b810-9dad-11d1-80b4-00c04fd430c8")).toBe("886313e1-3b8a-5372-9b90-0c9aee199e5d");
  });

  it("are the same for the same record and differ between types and keys", () => {
    expect(stixId("intrusion-set", "doppelganger")).toBe(stixId("intrusion-set", "doppelganger"));
    expect(stixId("intrusion-set", "doppelganger")).not.toBe(stixId("intrusion-set", "spamouflage"));
    expect(stixId("intrusion-set", "x").split("--")[1]).not.toBe(stixId("report", "x").split("--")[1]);
    expect(stixId("report", "openai-2024-05")).toMatch(/^report--[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
