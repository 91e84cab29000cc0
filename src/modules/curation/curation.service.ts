import type { Context } from "../../http/context";
import { bundleFromDocuments, importBundle, ENTITY_KINDS } from "../../import";
import type { EntityKind, Problem } from "../../import";
import { Role } from "../auth/api-key.entity";
import { requireRole } from "../auth/auth.service";
import { Company } from "../company/company.entity";
import { Report } from "../report/report.entity";
import { Operation } from "../operation/operation.entity";
import { Statement } from "../statement/statement.entity";
import { AuditEntry } from "../audit/audit.entity";
import { WriteResult } from "./curation.types";
import type { BundleImportPayload, UserError } from "./curation.types";

const ENTITY = { companies: Company, reports: Report, operations: Operation, statements: Statement } as const;

/** `companies[0].origin[1].country` -> `["input", "origin", "1", "country"]` (prefix: where the record sits in the arguments). */
function userError(problem: Problem, prefix: string[], recordPrefix: RegExp): UserError {
  const rest = problem.path.replace(recordPrefix, "");
  const segments = rest.split(/[.[\]]+/).filter(Boolean);
  return { path: [...prefix, ...segments], message: problem.message };
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
export async function importBundleInput(ctx: Context, input: { bundle: Record<string, unknown>; dryRun: boolean; replaceLists: boolean }): Promise<BundleImportPayload> {
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
