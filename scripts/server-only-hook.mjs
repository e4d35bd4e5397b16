/**
 * `npm run worker` loads domain modules that import the "server-only" marker, which throws
 * outside React's server build (where Next resolves it to an empty module). This resolve hook
 * does for the worker what that build does; the client-bundle guard stays as it is.
 */
import { register } from "node:module";
import { URL } from "node:url";

const hook = `
const empty = ${JSON.stringify(new URL("../node_modules/server-only/empty.js", import.meta.url).href)};
export async function resolve(specifier, context, next) {
  return specifier === "server-only" ? { url: empty, shortCircuit: true } : next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hook)}`);
