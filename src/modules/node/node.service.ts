import type { Context } from "../../context";
import type { NodeTypeName } from "../../common/global-id";
import { countriesByCode } from "../country";
import { companiesByKey } from "../company";
import { reportsByKey } from "../report";
import { operationsByKey } from "../operation";
import { statementsByKey } from "../statement";

const LOADERS: Record<NodeTypeName, (ctx: Context, key: string) => Promise<object | null>> = {
  Country: (ctx, key) => countriesByCode(ctx).load(key),
  Company: (ctx, key) => companiesByKey(ctx).load(key),
  Report: (ctx, key) => reportsByKey(ctx).load(key),
  Operation: (ctx, key) => operationsByKey(ctx).load(key),
  Statement: (ctx, key) => statementsByKey(ctx).load(key),
};

/** The record of a type with a key (or country code), batched per type; null when there is none. */
export function loadNode(ctx: Context, type: NodeTypeName, key: string): Promise<object | null> {
  return LOADERS[type](ctx, key);
}
