import type { DataSource, EntityTarget, ObjectLiteral } from "typeorm";

/** Turns a raw row of an entity's table (`SELECT e.*`) into an instance of the entity class. */
export type RowMapper<T> = (row: Record<string, unknown>) => T;

interface TableShape<T> {
  table: string;
  map: RowMapper<T>;
  /**
   * The same for a row that came back as JSON (`to_json(c)`, `json_agg(t)`): timestamps arrive as
   * text there, where pg's own parser gives Dates; everything else reads the same either way (dates
   * stay text, see data-source.ts).
   */
  mapJson: RowMapper<T>;
}

const TIMESTAMP_TYPES = new Set(["timestamptz", "timestamp with time zone", "timestamp", "timestamp without time zone"]);

const shapes = new WeakMap<object, TableShape<unknown>>();

/**
 * The table of an entity and a mapper from its raw rows to entity instances, built once from
 * TypeORM's metadata. The request path reads rows with plain SQL and maps them here: instances
 * (so `Node.resolveType` sees the class), property names from the entity, nothing else.
 */
export function tableShape<T extends ObjectLiteral>(dataSource: DataSource, entity: EntityTarget<T> & (new () => T)): TableShape<T> {
  let shape = shapes.get(entity) as TableShape<T> | undefined;
  if (!shape) {
    const metadata = dataSource.getMetadata(entity);
    const columns = metadata.columns.map((column) => [column.databaseName, column.propertyName] as const);
    const timestamps = metadata.columns.filter((column) => TIMESTAMP_TYPES.has(String(column.type))).map((column) => column.databaseName);
    const propertyOf = new Map(columns);
    // Over the row's own columns: a row read in part (see columnsFor) maps only what it holds, and
    // extra columns a statement adds (`__sort`, `edge_position`) are not the entity's.
    const map: RowMapper<T> = (row) => {
      const instance = new entity() as Record<string, unknown>;
      for (const database in row) {
        const property = propertyOf.get(database);
        if (property !== undefined) instance[property] = row[database];
      }
      return instance as T;
    };
    const reviveJson = (row: Record<string, unknown>) => {
      for (const column of timestamps) if (typeof row[column] === "string") row[column] = new Date(row[column] as string);
      return row;
    };
    shape = { table: metadata.tableName, map, mapJson: (row) => map(reviveJson(row)) };
    shapes.set(entity, shape as TableShape<unknown>);
  }
  return shape;
}

/** A record's columns to select over `alias`: the given ones (from `columnsFor`), or `alias.*` when null. */
export function recordColumnsSql(alias: string, columns: readonly string[] | null): string {
  return columns ? columns.map((column) => `${alias}.${column}`).join(", ") : `${alias}.*`;
}

/**
 * `'column', alias.column` pairs for `json_build_object`: the given columns, or every column of the
 * entity's table when null. A JSON record so built maps back with `tableShape(...).mapJson`.
 */
export function recordJsonPairs(dataSource: DataSource, entity: EntityTarget<ObjectLiteral>, alias: string, columns: readonly string[] | null): string[] {
  const names = columns ?? dataSource.getMetadata(entity).columns.map((column) => column.databaseName);
  return names.map((column) => `'${column}', ${alias}.${column}`);
}
