/** The TAXII 2.1 server's public surface: its route, and the collection's fixed id and alias. */
export { taxiiRoute, COLLECTION_ID, COLLECTION_ALIAS, TAXII_PREFIX } from "./taxii-route";
