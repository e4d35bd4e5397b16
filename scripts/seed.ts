import { openDatabaseFromEnv } from "@/db/open-from-env";
import { migrateDatabase } from "@/db/migrate";
import { seedDemoData } from "@/db/seed";

const database = openDatabaseFromEnv();
await migrateDatabase(database);
await seedDemoData(database.db);
console.log(`Demo data loaded (${database.kind}): Acme Vector with Default Project and Search Prod.`);
await database.close();
