import type { DataSource, EntityTarget, ObjectLiteral } from "typeorm";

/** Turns a raw row of an entity's table (`SELECT e.*`) into an instance of the entity class. */
export type RowMapper<T> = (row: Record<string, unknown>) => T;

interface TableShape<T> {
  table: string;
  map: RowMapper<T>;
}

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
    shape = {
      table: metadata.tableName,
      map: (row) => {
        const instance = new entity() as Record<string, unknown>;
        for (const [database, property] of columns) instance[property] = row[database];
        return instance as T;
      },
    };
    shapes.set(entity, shape as TableShape<unknown>);
  }
  return shape;
}
