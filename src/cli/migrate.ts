import "reflect-metadata";
import { withDatabase } from "./session";

/** `npm run migrate`: applies pending migrations and refreshes the country reference data. */
withDatabase(async () => {
  console.log("the database is up to date");
}).catch((error: Error) => {
  console.error(`migrate failed: ${error.message}`);
  process.exit(1);
});
