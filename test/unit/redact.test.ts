import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, redactCredentials } from "../../src/config";

describe("redactCredentials", () => {
  it.each([
    ["mysql://admin:S3cret@x/db", "mysql://admin:***@x/db"],
    ["postgres://u:p%40ss@host:5432/db?sslmode=require", "postgres://u:***@host:5432/db?sslmode=require"],
    ["postgres://admin:S3c@ret@host:notaport/db", "postgres://admin:***@host:notaport/db"],
    ["redis://:S3cret@cache:6379", "redis://:***@cache:6379"],
    ["failed: connect to postgres://a:b@h/d and rediss://c:d@e", "failed: connect to postgres://a:***@h/d and rediss://c:***@e"],
    ["host=db user=x password=S3cret dbname=y", "host=db user=x password=*** dbname=y"],
    ["postgres://user@host/db (no password)", "postgres://user@host/db (no password)"],
  ])("masks %s", (input, masked) => {
    expect(redactCredentials(input)).toBe(masked);
  });
});

describe("REDIS_URL", () => {
  it("must be a redis:// URL, and the error hides its password", () => {
    expect(() => loadConfig({ REDIS_URL: "http://u:S3cret@x" })).toThrow(ConfigError);
    expect(() => loadConfig({ REDIS_URL: "http://u:S3cret@x" })).toThrow(/REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL .*\(got "http:\/\/u:\*\*\*@x"\)/);
    expect(loadConfig({ REDIS_URL: "redis://127.0.0.1:6379" }).rateLimit.redisUrl).toBe("redis://127.0.0.1:6379");
    expect(loadConfig({}).rateLimit.redisUrl).toBeNull();
  });
});
