import { Arg, Ctx, FieldResolver, Int, Query, Resolver } from "type-graphql";
import type { Context } from "../../context";
import { BadUserInputError } from "../../common/errors";
import { DateScalar } from "../../common/scalars";
import { Dataset, DatasetCounts } from "./dataset.types";
import { DatasetImport } from "./dataset.entity";
import { dataset, datasetContentHash, datasetCounts, recentImports } from "./dataset.service";
import { datasetStateRead, datasetTracker } from "./dataset-version";

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

  @FieldResolver(() => String, {
    nullable: true,
    description:
      "The dataset release the database holds (calendar versioning, `YYYY.MM.N`, from `data/manifest.json`); `<version>+modified` once curation or another import changed its content; null when the service runs without a release manifest.",
  })
  async version(@Ctx() ctx: Context): Promise<string | null> {
    return (await datasetStateRead(ctx)).version;
  }

  @FieldResolver(() => DateScalar, { nullable: true, description: "When the release was published; null without a release manifest." })
  releasedOn(@Ctx() ctx: Context): string | null {
    return datasetTracker(ctx.dataSource).release?.releasedOn ?? null;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: "How to cite the release, as plain text (CITATION.cff says the same); null without a release manifest.",
  })
  citation(@Ctx() ctx: Context): string | null {
    return datasetTracker(ctx.dataSource).release?.citation ?? null;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      "SPDX identifier of the data licence (`CC-BY-4.0`: quoted statements remain their speakers' words, report texts their publishers'); null without a release manifest.",
  })
  licence(@Ctx() ctx: Context): string | null {
    return datasetTracker(ctx.dataSource).release?.licence ?? null;
  }

  @FieldResolver(() => [DatasetImport], { description: "The latest bundle imports, newest first." })
  imports(@Ctx() ctx: Context, @Arg("last", () => Int, { defaultValue: 10, description: "How many imports (1 to 100)." }) last: number) {
    if (last < 1 || last > 100) throw new BadUserInputError(`last must be between 1 and 100 (got ${last})`);
    return recentImports(ctx, last);
  }
}
