import { Field, ObjectType } from "type-graphql";
import { Country } from "../country";
import { AttributionConfidence } from "./operation.enums";

@ObjectType("OperationOrigin", {
  simpleResolvers: true,
  description: "A country an operation is attributed to (ORIGIN edge), with the publisher's confidence.",
})
export class OriginAttribution {
  @Field(() => Country, { description: "The country of origin." })
  country!: Country;

  @Field(() => AttributionConfidence, { description: "How firmly the publisher attributes the operation to this country." })
  confidence!: AttributionConfidence;
}
