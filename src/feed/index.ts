/** The Atom feed's public surface: its route, and the feed's permanent id. */
export { feedRoute, FEED_PATH } from "./feed-route";
export { FEED_ID, entryId } from "./atom";
