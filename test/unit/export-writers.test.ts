import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { describe, expect, it } from "vitest";
import { shapeRows } from "../../src/export/writers";
import type { Column } from "../../src/export/columns";

const COLUMNS: Column[] = [
  { name: "key", sql: "e.key", description: "key" },
  { name: "sources", sql: "e.sources", group: "sources", description: "sources" },
];

/** Runs rows through the shaping stage and collects what comes out, or the error that stopped it. */
async function shape(rows: object[], joinLists: boolean): Promise<{ out: object[]; error: Error | null }> {
  const out: object[] = [];
  try {
    await pipeline(Readable.from(rows), shapeRows(COLUMNS, "wide", joinLists), async (source: AsyncIterable<object>) => {
      for await (const row of source) out.push(row);
    });
    return { out, error: null };
  } catch (error) {
    return { out, error: error as Error };
  }
}

describe("export rows", () => {
  it("write lists of text as ;-joined cells in CSV and arrays in NDJSON", async () => {
    const rows = [{ key: "a", sources: ["https://x.test/1", "https://x.test/2"] }];
    expect((await shape(rows, true)).out).toEqual([{ key: "a", sources: "https://x.test/1;https://x.test/2" }]);
    expect((await shape(rows, false)).out).toEqual(rows);
  });

  it("refuse a cell holding an object (it would be written as [object Object]) by failing the stream, not the process", async () => {
    for (const joinLists of [true, false]) {
      const { out, error } = await shape([{ key: "a", sources: [{ url: "https://x.test/1", kind: "PUBLISHER" }] }], joinLists);
      expect(out).toEqual([]);
      expect(error?.message).toMatch(/column sources holds an object/);
    }
  });
});
