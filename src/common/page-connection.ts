import type { ObjectLiteral } from "typeorm";
import type { Context } from "../context";
import type { ConnectionResult } from "./connection";
import type { PageList, PageRows } from "./list";
import { beyondCursorSql, countSql } from "./page-sql";
import type { ListSource } from "./page-sql";
import { statementKey } from "./statement-key";

/**
 * A page as a connection. What a query does not select is never worked out: edges and their
 * cursors, page info, the count and the cursor probes are getters, read only when selected (a page
 * of operations resolves 50 nested connections, most of them asked for `nodes` alone).
 */
export class PageConnection<P extends string | number, T extends ObjectLiteral> implements ConnectionResult<T> {
  constructor(
    private readonly ctx: Context,
    private readonly spec: PageList<T>,
    private readonly parent: P,
    private readonly page: PageRows<T>,
    /** The names of the loaders of the list's count and cursor probes, by what they ask (kept with the list, see `statementKey`). */
    private readonly probes: Map<string, string>,
  ) {}

  get nodes(): T[] {
    return this.page.records;
  }

  get edges(): { cursor: string; node: T }[] {
    const { page } = this;
    return page.records.map((node, index) => ({
      node,
      get cursor() {
        return page.cursor(index);
      },
    }));
  }

  get totalCount(): number | Promise<number> {
    if (this.page.total !== undefined) return this.page.total;
    return this.perParent<number>("count", countSql, (rows, key) => rows.find((row) => String(row.parent) === key)?.n ?? 0);
  }

  get pageInfo(): ConnectionResult<T>["pageInfo"] {
    const { page } = this;
    const { request } = this.spec;
    const first = request.mode === "first";
    const beyond = (side: "after" | "before") => this.beyond(side);
    return {
      get hasNextPage() {
        if (first && page.overflow) return true;
        return request.before ? beyond("before") : false;
      },
      get hasPreviousPage() {
        if (!first && page.overflow) return true;
        return request.after ? beyond("after") : false;
      },
      get startCursor() {
        return page.records.length ? page.cursor(0) : null;
      },
      get endCursor() {
        return page.records.length ? page.cursor(page.records.length - 1) : null;
      },
    };
  }

  /** Whether any row lies on the far side of the request's cursor (see `beyondCursorSql`), for every parent in one statement. */
  private beyond(side: "after" | "before"): Promise<boolean> {
    const { spec } = this;
    return this.perParent<boolean>(
      side,
      (source, parents) => beyondCursorSql(source, spec.request, side, parents),
      (rows, key) => rows.some((row) => String(row.parent) === key),
    );
  }

  /**
   * One more fact of this list for every parent in the batch, from one statement (a top-level list
   * has the one parent 0); `fact` names what `sql` asks, and the loader is named by the statement.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each caller reads the rows its own SQL selects
  private perParent<V>(fact: string, sql: (source: ListSource, parents: readonly unknown[]) => string, pick: (rows: any[], key: string) => V): Promise<V> {
    const { ctx, spec, probes } = this;
    let name = probes.get(fact);
    if (name === undefined) {
      const source = spec.source();
      probes.set(fact, (name = statementKey(sql(source, []), source.params.values, fact)));
    }
    // Whether the list hangs under parents is a property of the list, not of each call.
    const nested = spec.source().parentExpr !== undefined;
    return ctx
      .batch<P, V>(name, async (parents) => {
        const source = spec.source();
        const rows = await ctx.sql(sql(source, nested ? parents : [0]), source.params.values);
        return parents.map((parent) => pick(rows, String(nested ? parent : 0)));
      })
      .load(this.parent);
  }
}
