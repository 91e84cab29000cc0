import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { getNamedType, isEnumType, isInputObjectType, isInterfaceType, isObjectType } from "graphql";
import { buildAppSchema, schemaSdl } from "../../src/schema";
import { ROOT } from "../helpers/app";

describe("schema.graphql", () => {
  it("is what the code emits (run `npm run schema` after changing the API)", async () => {
    const committed = fs.readFileSync(path.join(ROOT, "schema.graphql"), "utf8");
    expect(schemaSdl(await buildAppSchema())).toBe(committed);
  });

  it("describes every type, field, argument and enum value", async () => {
    const schema = await buildAppSchema();
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith("__") || ["String", "Int", "Float", "Boolean", "ID"].includes(type.name)) continue;
      if (!type.description) missing.push(type.name);
      if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (!field.description) missing.push(`${type.name}.${field.name}`);
          for (const arg of "args" in field ? field.args : []) if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
        }
      }
      if (isEnumType(type)) for (const value of type.getValues()) if (!value.description) missing.push(`${type.name}.${value.name}`);
    }
    expect(missing).toEqual([]);
  });

  it("exposes no foreign-key ids: relations are objects", async () => {
    const schema = await buildAppSchema();
    const offenders: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith("__")) continue;
      for (const field of Object.values(type.getFields())) {
        if (/(Id|Ids|_id|Code)$/.test(field.name) && getNamedType(field.type).name !== "Country") offenders.push(`${type.name}.${field.name}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
