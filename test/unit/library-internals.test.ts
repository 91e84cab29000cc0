import "reflect-metadata";
import { beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { DataSource } from "typeorm";
import { Ctx, Field, FieldResolver, ObjectType, Query, Resolver, Root, buildSchema } from "type-graphql";
import { backendKey, preparedStatements, rawConnection } from "../../src/db/pg-internals";
import { driverPools } from "../../src/db/typeorm-internals";
import { fieldResolverMetadata, objectTypeOf } from "../../src/common/type-graphql-internals";

// The undocumented fields the adapters read (src/db/pg-internals.ts, src/db/typeorm-internals.ts,
// src/common/type-graphql-internals.ts), checked on the real libraries: a release that moves one
// fails here, by name, rather than as a wrong statement count or a cancel that never arrives.
const url = process.env.DATABASE_URL;

describe("pg internals", () => {
  it("a client's wire connection has what a bare CancelRequest needs", () => {
    const raw = rawConnection({ host: "127.0.0.1", port: 5432 });
    expect(raw.host).toBe("127.0.0.1");
    expect(raw.port).toBe(5432);
    for (const method of ["on", "connect", "cancel"] as const) expect(typeof raw.connection[method], method).toBe("function");
    expect(typeof raw.connection.stream.setTimeout).toBe("function");
  });

  it.skipIf(!url)("a connected client has its backend key and its prepared statements", async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { processID, secretKey } = backendKey(client);
      expect(Number.isInteger(processID) && processID > 0).toBe(true);
      expect(Number.isInteger(secretKey)).toBe(true);
      const { rows } = await client.query("SELECT pg_backend_pid() AS pid");
      expect(rows[0].pid).toBe(processID);
      await client.query({ name: "library_internals_probe", text: "SELECT 1" });
      expect(preparedStatements(client)).toEqual({ library_internals_probe: "SELECT 1" });
    } finally {
      await client.end();
    }
  });
});

describe("TypeORM internals", () => {
  it.skipIf(!url)("a PostgreSQL data source's driver holds the primary's and the replica's pg pools", async () => {
    const dataSource = new DataSource({ type: "postgres", replication: { master: { url }, slaves: [{ url }] } });
    await dataSource.initialize();
    try {
      const { primary, replica } = driverPools(dataSource);
      expect(primary).toBeInstanceOf(pg.Pool);
      expect(replica).toBeInstanceOf(pg.Pool);
      expect(replica).not.toBe(primary);
    } finally {
      await dataSource.destroy();
    }
  });
});

@ObjectType("LibraryProbe")
class Probe {
  @Field({ name: "label" })
  title!: string;
}

@Resolver(() => Probe)
class ProbeResolver {
  @Query(() => Probe)
  probe(): Probe {
    return Object.assign(new Probe(), { title: "probe" });
  }

  @FieldResolver(() => String)
  shout(@Root() probe: Probe, @Ctx() context: { quiet?: boolean }): string {
    return context.quiet ? probe.title : probe.title.toUpperCase();
  }
}

describe("type-graphql internals", () => {
  // type-graphql completes its metadata (fields, object types of field resolvers) while it builds a schema, as the service's does.
  beforeAll(async () => {
    await buildSchema({ resolvers: [ProbeResolver], validate: false });
  });

  it("records an object type's name and its fields' schema names", () => {
    const type = objectTypeOf(Probe);
    expect(type?.name).toBe("LibraryProbe");
    expect(type?.fields?.map((f) => [f.name, f.schemaName])).toContainEqual(["title", "label"]);
  });

  it("records a field resolver with its class, method, object type and ordered parameters", () => {
    const metadata = fieldResolverMetadata().find((m) => m.target === ProbeResolver);
    expect(metadata).toBeDefined();
    expect(metadata!.kind).toBe("external");
    expect(metadata!.methodName).toBe("shout");
    expect(metadata!.schemaName).toBe("shout");
    expect(metadata!.getObjectType?.()).toBe(Probe);
    expect([...(metadata!.params ?? [])].sort((a, b) => a.index - b.index).map((p) => [p.index, p.kind])).toEqual([
      [0, "root"],
      [1, "context"],
    ]);
    const root = metadata!.params!.find((p) => p.kind === "root");
    expect(root?.kind === "root" && root.getType?.()).toBe(Probe);
    expect(metadata!.middlewares ?? []).toEqual([]);
    expect(metadata!.roles).toBeUndefined();
  });
});
