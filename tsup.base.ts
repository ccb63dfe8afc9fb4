import type { Options } from "tsup";

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
    ...extra,
  };
}
