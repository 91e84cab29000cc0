import "reflect-metadata";
import { parseArgs } from "node:util";
import { IsNull } from "typeorm";
import { finish, withDatabase } from "./session";
import { ApiKey, Role, createApiKey, DuplicateKeyName } from "../modules/auth";

const USAGE = `usage:
  npm run apikey -- create --name NAME --role editor|admin   prints the new key once
  npm run apikey -- list                                     keys with their prefixes, roles and state
  npm run apikey -- revoke ID                                the key stops working at once`;

/** Manages curation API keys; keys are stored hashed and shown only when created. */
async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ options: { name: { type: "string" }, role: { type: "string" } }, allowPositionals: true });
  const [command, argument] = positionals;
  if (command === "create") {
    if (!values.name || !Object.values(Role).includes(values.role as Role)) {
      console.error(USAGE);
      return 2;
    }
    return withDatabase(async (dataSource) => {
      let created: Awaited<ReturnType<typeof createApiKey>>;
      try {
        created = await createApiKey(dataSource, values.name!, values.role as Role);
      } catch (error) {
        if (!(error instanceof DuplicateKeyName)) throw error;
        console.error(`apikey: ${error.message}`);
        return 1;
      }
      const { key, record } = created;
      console.log(`created key ${record.id} "${record.name}" (${record.role}); it is shown only now:\n${key}`);
      return 0;
    });
  }
  if (command === "list") {
    return withDatabase(async (dataSource) => {
      const keys = await dataSource.getRepository(ApiKey).find({ order: { id: "ASC" } });
      for (const k of keys) console.log(`${k.id}\t${k.keyPrefix}…\t${k.role}\t${k.name}\t${k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : "active"}`);
      if (keys.length === 0) console.log("no keys");
      return 0;
    });
  }
  if (command === "revoke" && /^\d+$/.test(argument ?? "")) {
    return withDatabase(async (dataSource) => {
      const result = await dataSource.getRepository(ApiKey).update({ id: Number(argument), revokedAt: IsNull() }, { revokedAt: new Date() });
      if (!result.affected) {
        console.error(`no active key with id ${argument}`);
        return 1;
      }
      console.log(`revoked key ${argument}`);
      return 0;
    });
  }
  console.error(USAGE);
  return 2;
}

finish("apikey", main());
