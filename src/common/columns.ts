import { Column, CreateDateColumn, type ColumnOptions } from "typeorm";
import { Field, GraphQLISODateTime, type FieldOptions } from "type-graphql";
import { DateScalar } from "./scalars";
import { Source } from "./source";

/** Applies several property decorators to one property, last first, as a stack of them would. */
function stack(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, property) => {
    for (const decorator of [...decorators].reverse()) decorator(target, property);
  };
}

/** A GraphQL type as type-graphql's `@Field` takes it. */
type ReturnTypeFunc = Extract<Parameters<typeof Field>[0], () => unknown>;

/** Column options without the SQL type, which each helper fixes. */
type ColumnExtras = Omit<ColumnOptions, "type">;

/**
 * The `updated_at` column of a keyed record and its GraphQL field: the database sets it to the
 * writing transaction's start (migration IncrementalSync), so every keyed record declares it alike.
 */
export function UpdatedAtColumn(): PropertyDecorator {
  return stack(
    Column({ type: "timestamptz", name: "updated_at", default: () => "now()" }),
    Field(() => GraphQLISODateTime, {
      description: "When this record or its edges last changed (UTC; the writing transaction's start). Filter lists with `updatedSince` to fetch only changes.",
    }),
  );
}

/** The unique slug `key` of a keyed record, exposed with the description its declaration gives. */
export function KeyColumn(field: FieldOptions): PropertyDecorator {
  return stack(
    Column({ type: "text", unique: true }),
    Field(() => String, field),
  );
}

/** A text column exposed as a GraphQL `String`; `column` adds a column name or nullability. */
export function TextColumn(field: FieldOptions, column: ColumnExtras = {}): PropertyDecorator {
  return stack(
    Column({ ...column, type: "text" }),
    Field(() => String, field),
  );
}

/** A text column holding a vocabulary value, exposed as the GraphQL enum `type` returns. */
export function EnumColumn(type: ReturnTypeFunc, field: FieldOptions, column: ColumnExtras = {}): PropertyDecorator {
  return stack(Column({ ...column, type: "text" }), Field(type, field));
}

/** A `date` column exposed as the `Date` scalar (calendar dates travel as `YYYY-MM-DD` strings). */
export function DateColumn(field: FieldOptions, column: ColumnExtras = {}): PropertyDecorator {
  return stack(
    Column({ ...column, type: "date" }),
    Field(() => DateScalar, field),
  );
}

/**
 * The `sources` of a record: a jsonb list of links (checked by `sourcesCheck`), exposed as
 * `[Source!]!`; `column` gives the default where the list may be left empty.
 */
export function SourcesColumn(field: FieldOptions, column: ColumnExtras = {}): PropertyDecorator {
  return stack(
    Column({ ...column, type: "jsonb" }),
    Field(() => [Source], field),
  );
}

/** A `timestamptz` column the database fills when the row is inserted, exposed as an ISO date-time. */
export function CreatedAtColumn(name: string, description: string): PropertyDecorator {
  return stack(
    CreateDateColumn({ name, type: "timestamptz" }),
    Field(() => GraphQLISODateTime, { description }),
  );
}
