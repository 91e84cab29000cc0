import { OrderInput } from "./connection";
import type { OrderDirection } from "./connection";

/** How a list sorts, with its fields named by the keys of their table of descriptions. */
export interface SortSpec<K extends string> {
  /** Said after "What to sort <records> by." in the enum's description. */
  note?: string;
  fields: Record<K, string>;
  byDefault: { field: NoInfer<K>; direction: OrderDirection };
  tiebreak: string;
}

/**
 * A list's sort order (see `OrderInput`) whose `<Name>OrderField` enum is made from the table of its
 * fields, so that each field is named once, beside its description. Services name the fields as the
 * string literals `OrderFieldOf` gives (`Exclude<OrderFieldOf<typeof ReportOrder>, "RELEVANCE">`).
 */
export function SortOrder<K extends string>(name: string, what: string, spec: SortSpec<K>) {
  const fieldEnum = Object.fromEntries(Object.keys(spec.fields).map((field) => [field, field])) as { [F in K]: F };
  return OrderInput(name, what, fieldEnum, spec);
}

/** The fields of a sort order made by `SortOrder`, as string literals. */
export type OrderFieldOf<O extends abstract new () => { field: string }> = InstanceType<O>["field"];
