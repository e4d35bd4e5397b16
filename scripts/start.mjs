/**
 * `npm start`: the production server from the standalone build (`npm run build`), as the container
 * image runs it. server.js moves into its own folder, so a relative PGLITE_DIR is fixed here first:
 * the embedded database stays in this checkout's .data/, not inside the build output.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";

const server = path.resolve(".next/standalone/server.js");
process.env.PGLITE_DIR = path.resolve(process.env.PGLITE_DIR ?? ".data/pglite");
// server.js listens on HOSTNAME, which shells often set to the machine's name: take HOST instead,
// as `npm run dev` does (the image sets HOSTNAME=0.0.0.0 and runs server.js itself). PORT as usual.
process.env.HOSTNAME = process.env.HOST ?? "localhost";
await import(pathToFileURL(server).href);
