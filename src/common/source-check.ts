import { SOURCE_KIND_VOCABULARY, valuesOf } from "./vocabulary";

/**
 * The CHECK constraint on a typed `sources` jsonb column, written from the codebook: an array (non-empty
 * when `required`) whose every element has a `url` and a `kind` from the source-kind list.
 */
export function sourcesCheck(required: boolean): string {
  const kinds = valuesOf(SOURCE_KIND_VOCABULARY)
    .map((kind) => `@.kind == "${kind}"`)
    .join(" || ");
  const array = required ? `jsonb_typeof(sources) = 'array' AND jsonb_array_length(sources) > 0` : `jsonb_typeof(sources) = 'array'`;
  return `${array} AND NOT jsonb_path_exists(sources, '$[*] ? (!exists(@.url) || !exists(@.kind) || !(${kinds}))')`;
}
