import { Transform } from "node:stream";
import { stringify } from "csv-stringify";
import type { Column } from "./columns";

type Row = Record<string, unknown>;

/**
 * A table cell: a scalar, or (NDJSON, and CSV before joining) a list of scalars. The column catalogue
 * renders everything as text, numbers or lists of them; an object reaching a table would be written
 * as `[object Object]` or a JSON blob, so it is refused here, loudly, instead.
 */
function cell(column: Column, value: unknown): unknown {
  const values = Array.isArray(value) ? value : [value];
  if (values.some((v) => v !== null && typeof v === "object" && !(v instanceof Date))) {
    throw new Error(`Export column ${column.name} holds an object; the column catalogue must render it as text`);
  }
  return value;
}

/**
 * Wide layout: one row per record. NDJSON keeps lists as JSON arrays; CSV cells join them with `;`
 * (values that contain `;` themselves are rare; `layout=long` avoids the ambiguity).
 */
function wideRow(row: Row, columns: Column[], joinLists: boolean): Row {
  const out: Row = {};
  for (const column of columns) {
    const value = cell(column, row[column.name] ?? null);
    out[column.name] = joinLists && Array.isArray(value) ? value.join(";") : value;
  }
  return out;
}

/**
 * Long layout: one row per value of the one list (edge group) among the columns; columns of that
 * group line up (origin code i with origin name i), other columns repeat. A record with no value in
 * the list keeps one row with empty cells there, so every record appears at least once with its key.
 * `parseLayout` lets through only column sets with exactly one group, so rows never multiply.
 */
export function* longRows(row: Row, columns: Column[]): Generator<Row> {
  const groups = new Set(columns.filter((c) => c.group).map((c) => c.group!));
  if (groups.size !== 1) throw new Error(`layout=long needs exactly one list, got ${groups.size}`);
  const listed = columns.filter((c) => c.group);
  const length = Math.max(1, ...listed.map((c) => (row[c.name] as unknown[] | null)?.length ?? 0));
  for (let position = 0; position < length; position += 1) {
    const out: Row = {};
    for (const column of columns) {
      const value = cell(column, row[column.name] ?? null);
      out[column.name] = column.group ? ((value as unknown[] | null)?.[position] ?? null) : value;
    }
    yield out;
  }
}

/** Shapes database rows into table rows for a layout; counts the rows it emits. */
export function shapeRows(columns: Column[], layout: "wide" | "long", joinLists: boolean): Transform & { emitted: number } {
  const transform = new Transform({
    objectMode: true,
    transform(row: Row, _encoding, done) {
      // A refused cell fails the stream (logged, the response cut short) rather than the process.
      try {
        if (layout === "wide") {
          transform.emitted += 1;
          return done(null, wideRow(row, columns, joinLists));
        }
        for (const out of longRows(row, columns)) {
          transform.emitted += 1;
          this.push(out);
        }
        done();
      } catch (error) {
        done(error as Error);
      }
    },
  }) as Transform & { emitted: number };
  transform.emitted = 0;
  return transform;
}

/** CSV with a header row, RFC 4180 quoting, `\n` line ends; null is an empty cell. */
export function csvWriter(columns: string[]): Transform {
  return stringify({ header: true, columns, record_delimiter: "unix", cast: { boolean: (value) => String(value) } });
}

/** NDJSON: an optional first line (the `_meta` header), then one JSON object per row. */
export function ndjsonWriter(firstLine?: Row): Transform {
  let started = false;
  return new Transform({
    writableObjectMode: true,
    transform(row: Row, _encoding, done) {
      let text = "";
      if (!started && firstLine) text += `${JSON.stringify(firstLine)}\n`;
      started = true;
      done(null, `${text}${JSON.stringify(row)}\n`);
    },
    flush(done) {
      done(null, !started && firstLine ? `${JSON.stringify(firstLine)}\n` : "");
    },
  });
}
