import pg from "pg";

/** Drops this run's e2e database so repeated runs do not pile databases up on the server. */
export default async function globalTeardown() {
  const url = process.env.E2E_DATABASE_URL;
  if (!url || process.env.E2E_KEEP_DATABASE === "1") return;
  const name = new URL(url).pathname.slice(1);
  if (!/^mc_e2e_[a-z0-9_]+$/.test(name)) return;
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`drop database if exists ${name} with (force)`);
  await client.end();
}
