import { Arg, Ctx, FieldResolver, Int, Query, Resolver } from "type-graphql";
import type { Context } from "../../http/context";
import { BadUserInputError } from "../../common/errors";
import { Dataset, DatasetCounts } from "./dataset.types";
import { DatasetImport } from "./dataset.entity";
import { dataset, datasetContentHash, datasetCounts, recentImports } from "./dataset.service";

@Resolver(() => Dataset)
export class DatasetResolver {
  @Query(() => Dataset, { description: "Provenance of the loaded data: record counts, a content hash, and when it was loaded." })
  dataset(@Ctx() ctx: Context) {
    return dataset(ctx);
  }

  @FieldResolver(() => DatasetCounts, { description: "Records loaded, per kind." })
  counts(@Ctx() ctx: Context) {
    return datasetCounts(ctx);
  }

  @FieldResolver(() => String, { description: "SHA-256 of every stored record in canonical bundle form." })
  contentHash(@Ctx() ctx: Context) {
    return datasetContentHash(ctx);
  }

  @FieldResolver(() => [DatasetImport], { description: "The latest bundle imports, newest first." })
  imports(@Ctx() ctx: Context, @Arg("last", () => Int, { defaultValue: 10, description: "How many imports (1 to 100)." }) last: number) {
    if (last < 1 || last > 100) throw new BadUserInputError(`last must be between 1 and 100 (got ${last})`);
    return recentImports(ctx, last);
  }
}
