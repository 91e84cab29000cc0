import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config";

describe("loadConfig", () => {
  it("defaults to the embedded database on port 4000", () => {
    const config = loadConfig({}, "/srv/app");
    expect(config.database).toEqual({ kind: "embedded", dataDir: "/srv/app/.data/postgres", port: null });
    expect(config.port).toBe(4000);
    // Unset NODE_ENV is production (no stack traces in answers); development must be asked for.
    expect(config.env).toBe("production");
    expect(config.dataDir).toBe("/srv/app/data");
    // Compiled selections, with the resolver paths one setting away.
    expect(config.execution).toBe("sql");
    expect(loadConfig({ EXECUTION: "compiled" }).execution).toBe("compiled");
    expect(loadConfig({ EXECUTION: "standard" }).execution).toBe("standard");
  });

  it("uses DATABASE_URL when given", () => {
    expect(loadConfig({ DATABASE_URL: "postgres://u@db:5432/x" }).database).toEqual({ kind: "url", url: "postgres://u@db:5432/x" });
  });

  it("fails reads over to the primary unless READ_FAILOVER is off", () => {
    const replicated = { DATABASE_URL: "postgres://u@db:5432/x", DATABASE_READ_URL: "postgres://u@replica:5432/x" };
    expect(loadConfig(replicated).readFailover).toBe(true);
    expect(loadConfig({ ...replicated, READ_FAILOVER: "off" }).readFailover).toBe(false);
    expect(() => loadConfig({ ...replicated, READ_FAILOVER: "nearest" })).toThrow(/READ_FAILOVER must be true or false \(got "nearest"\)/);
  });

  it("names the variable and the value it refuses", () => {
    expect(() => loadConfig({ PORT: "eighty" })).toThrow(new ConfigError("PORT", "a whole number from 0 to 65535", "eighty"));
    expect(() => loadConfig({ PORT: "70000" })).toThrow(/PORT must be a whole number from 0 to 65535 \(got "70000"\)/);
    expect(() => loadConfig({ DATABASE_URL: "mysql://x" })).toThrow(/DATABASE_URL must be a postgres:\/\//);
    expect(() => loadConfig({ LOAD_DATASET: "maybe" })).toThrow(/LOAD_DATASET must be true or false/);
    expect(() => loadConfig({ NODE_ENV: "staging" })).toThrow(/NODE_ENV must be one of development, production, test/);
  });
});
