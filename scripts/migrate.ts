import { openDatabaseFromEnv } from "@/db/open-from-env";
import { migrateDatabase } from "@/db/migrate";

const database = openDatabaseFromEnv();
await migrateDatabase(database);
console.log(`Migrations applied (${database.kind}).`);
await database.close();
