/**
 * Setup file of the `global-fetch` test project: takes `process.getBuiltinModule`
 * away before the runtime loads, which is what Node.js 20.11–20.15 (and every
 * runtime that is not Node) looks like to it. Clients then talk HTTP through the
 * global `fetch` with a URL and options, the path those runtimes take.
 */
Reflect.deleteProperty(process, "getBuiltinModule");
if (typeof (process as { getBuiltinModule?: unknown }).getBuiltinModule === "function") {
  throw new Error("process.getBuiltinModule could not be removed");
}
