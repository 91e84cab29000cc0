import { Column, CreateDateColumn, JoinColumn, ManyToOne, type ColumnOptions, type ObjectType as EntityClass, type RelationOptions } from "typeorm";
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

/** The order of a row within its parent's list, as the source gives it (0 where the source gives none). */
export function PositionColumn(): PropertyDecorator {
  return Column({ type: "int", default: 0 });
}

/**
 * A many-to-one relation through the foreign-key `column` the entity declares beside it; `options`
 * says what deleting the referenced row does. The relation is for TypeORM only: GraphQL reaches the
 * referenced record through a loader.
 */
export function ForeignKey<T>(type: () => EntityClass<T>, column: string, options: RelationOptions): PropertyDecorator {
  return stack(ManyToOne(type, options), JoinColumn({ name: column }));
}
