/** The curation module's public surface: the resolver of the curation mutations. */
export { CurationResolver } from "./curation.resolver";
