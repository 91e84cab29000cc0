import { revisionWatch } from "../../db/revision";
import type { Context } from "../../context";
import { bundleFromDocuments, importBundle, ENTITY_KINDS, storedRecordsSql, inWriteTurn } from "../../import";
import type { EntityKind, Problem } from "../../import";
import { Role, requireRole } from "../auth";
import { Company } from "../company";
import { Report } from "../report";
import { Operation } from "../operation";
import { Statement } from "../statement";
import { AuditEntry } from "../audit";
import { WriteResult } from "./curation.types";
import type { BundleImportPayload, UserError } from "./curation.types";

const ENTITY = { companies: Company, reports: Report, operations: Operation, statements: Statement } as const;

/** `companies[0].origin[1].country` -> `["input", "origin", "1", "country"]` (prefix: where the record sits in the arguments). */
function userError(problem: Problem, prefix: string[], recordPrefix: RegExp): UserError {
  const rest = problem.path.replace(recordPrefix, "");
  const segments = rest.split(/[.[\]]+/).filter(Boolean);
  return { path: [...prefix, ...segments], message: problem.hint ? `${problem.message}: ${problem.hint}` : problem.message };
}

/**
 * Creates or updates one record through the importer, so it is validated exactly as a bundle is,
 * written in one transaction with its audit entry. Needs an editor (or admin) key.
 */
export async function upsertRecord<K extends EntityKind>(
  ctx: Context,
  kind: K,
  operation: string,
  input: { key: string; replaceLists: boolean } & Record<string, unknown>,
): Promise<{ record: object | null; result: WriteResult | null; userErrors: UserError[] }> {
  const viewer = requireRole(ctx.viewer, Role.EDITOR, operation);
  const { replaceLists, ...fields } = input;
  const record = JSON.parse(JSON.stringify(fields)) as Record<string, unknown>;
  const bundle = bundleFromDocuments(operation, [{ file: "input", value: { batch: operation, [kind]: [record] } }]);
  const outcome = await importBundle(ctx.dataSource, bundle, { replace: replaceLists, audit: { keyId: viewer.keyId, keyName: viewer.name, operation } });
  if (!outcome.ok) {
    return { record: null, result: null, userErrors: outcome.problems.map((p) => userError(p, ["input"], new RegExp(`^${kind}\\[0\\]\\.?`))) };
  }
  const counts = outcome.summary[kind];
  const result = counts.created ? WriteResult.CREATED : counts.updated ? WriteResult.UPDATED : WriteResult.UNCHANGED;
  const stored = await ctx.dataSource.getRepository(ENTITY[kind] as typeof Company).findOneBy({ key: input.key });
  return { record: stored, result, userErrors: [] };
}

/** Imports a whole bundle through the API, audited; needs an editor (or admin) key. */
export async function importBundleInput(
  ctx: Context,
  input: { bundle: Record<string, unknown>; dryRun: boolean; replaceLists: boolean },
): Promise<BundleImportPayload> {
  const viewer = requireRole(ctx.viewer, Role.EDITOR, "bundleImport");
  const bundle = bundleFromDocuments("bundleImport", [{ file: "input.bundle", value: input.bundle }]);
  const outcome = await importBundle(ctx.dataSource, bundle, {
    dryRun: input.dryRun,
    replace: input.replaceLists,
    audit: { keyId: viewer.keyId, keyName: viewer.name, operation: "bundleImport" },
  });
  return {
    dryRun: input.dryRun,
    summary: outcome.ok ? ENTITY_KINDS.map((entity) => ({ entity, ...outcome.summary[entity] })) : [],
    userErrors: outcome.problems.map((p) => userError(p, ["input", "bundle"], /^/)),
    warnings: outcome.warnings.map((p) => userError(p, ["input", "bundle"], /^/)),
    preview: outcome.ok
      ? {
          records: outcome.preview.records.map((r) => ({
            entity: r.kind,
            key: r.key,
            path: r.path,
            result: WriteResult[r.result],
            fields: r.fields,
            lists: r.lists,
          })),
          redisclosures: outcome.preview.redisclosures.map((d) => ({ operationKey: d.operation, reportKey: d.report, disclosure: d.disclosure })),
        }
      : null,
  };
}

/** The latest audit entries, newest first; admins only. */
export function auditLog(ctx: Context, last: number, recordKey: string | null): Promise<AuditEntry[]> {
  requireRole(ctx.viewer, Role.ADMIN, "auditLog");
  return ctx.dataSource.getRepository(AuditEntry).find({
    where: recordKey ? { recordKey } : {},
    order: { id: "DESC" },
    take: Math.min(Math.max(last, 1), 100),
  });
}

const TABLE = { companies: "company", reports: "report", operations: "operation", statements: "statement" } as const;

/**
 * Deletes one record by key with its edges, audited; needs an admin key. Refused with a userError
 * when other records still refer to it (a company that published reports or appears in operations,
 * a report that is the only disclosure of an operation), so nothing is left dangling.
 */
export async function deleteRecord(
  ctx: Context,
  kind: EntityKind,
  operation: string,
  key: string,
): Promise<{ deletedKey: string | null; userErrors: UserError[] }> {
  const viewer = requireRole(ctx.viewer, Role.ADMIN, operation);
  const refused = (message: string) => ({ deletedKey: null, userErrors: [{ path: ["input", "key"], message }] });
  const outcome = await inWriteTurn(ctx.dataSource, async (db) => {
    const [before] = await db.query(storedRecordsSql(kind, "t.key = $1"), [key]);
    if (!before) return refused(`no ${TABLE[kind].replace("_", " ")} with key "${key}"`);
    if (kind === "companies") {
      const [uses] = await db.query(
        `SELECT (SELECT count(*) FROM report r JOIN company c ON c.id = r.publisher_id WHERE c.key = $1)::int AS reports,
                (SELECT count(*) FROM operation_company x JOIN company c ON c.id = x.company_id WHERE c.key = $1)::int AS operations,
                (SELECT count(*) FROM statement s JOIN company c ON c.id = s.organization_id WHERE c.key = $1)::int AS statements`,
        [key],
      );
      if (uses.reports + uses.operations + uses.statements > 0) {
        return refused(
          `company "${key}" is still referred to by ${uses.reports} report(s), ${uses.operations} operation edge(s) and ${uses.statements} statement(s)`,
        );
      }
    }
    if (kind === "reports") {
      const orphans: { key: string }[] = await db.query(
        `SELECT o.key FROM operation o JOIN operation_report x ON x.operation_id = o.id JOIN report r ON r.id = x.report_id
         WHERE r.key = $1 AND NOT EXISTS (SELECT 1 FROM operation_report y WHERE y.operation_id = o.id AND y.report_id <> r.id) ORDER BY o.key`,
        [key],
      );
      if (orphans.length > 0) {
        return refused(
          `report "${key}" is the only disclosure of ${orphans.length} operation(s) (${orphans
            .slice(0, 5)
            .map((o) => o.key)
            .join(", ")}${orphans.length > 5 ? ", ..." : ""}); delete or re-attribute them first`,
        );
      }
    }
    await db.query(`DELETE FROM ${TABLE[kind]} WHERE key = $1`, [key]);
    await db.query(
      `INSERT INTO audit_entry (api_key_id, api_key_name, operation, record_kind, record_key, before, after) VALUES ($1, $2, $3, $4, $5, $6, NULL)`,
      [viewer.keyId, viewer.name, operation, kind, key, JSON.stringify(before)],
    );
    return { deletedKey: key, userErrors: [] };
  });
  revisionWatch(ctx.dataSource).invalidate();
  return outcome;
}
