import { fileURLToPath } from "node:url";
import type { Plugin } from "esbuild";
import type { Options } from "tsup";

const PUBLIC_ENTRY = "@esign-users/runtime/public";
const publicSource = fileURLToPath(new URL("./packages/runtime/src/public.ts", import.meta.url));

/**
 * Resolves the runtime's `public` entry to its source, so a package builds without the
 * runtime's `dist/` (the imports inside it stay external: they name the package).
 */
const publicFromSource: Plugin = {
  name: "esign-users-runtime-public",
  setup(build) {
    // The name has no character special to a regular expression.
    build.onResolve({ filter: new RegExp(`^${PUBLIC_ENTRY}$`) }, () => ({ path: publicSource }));
  },
};

/** The build every package shares: ESM + CJS + declarations for both, tree-shakeable. */
export function packageBuild(entry: Record<string, string> | string[] = ["src/index.ts"], extra: Options = {}): Options {
  return {
    entry,
    format: ["esm", "cjs"],
    dts: true,
    clean: true,
    // The output is not minified, so stack traces read well without maps; maps would double the install size.
    sourcemap: false,
    target: "es2022",
    platform: "neutral",
    splitting: false,
    treeshake: true,
    // The runtime's `public` entry only re-exports names of the runtime's main entry. Inlined,
    // a provider's `export * from "@esign-users/runtime/public"` becomes a list of those names
    // taken from `@esign-users/runtime` directly: the same classes, one module fewer to resolve
    // and load at start-up (about 0.6 ms of a 10 ms require).
    noExternal: [PUBLIC_ENTRY],
    esbuildPlugins: [publicFromSource],
    ...extra,
  };
}
