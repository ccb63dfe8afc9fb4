import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "**/dist/**",
      "**/src/generated/**",
      "**/node_modules/**",
      "**/.turbo/**",
      "out/**",
      "bench/.work/**",
      // Files tsup and vitest write beside a config while they load it, and delete: the
      // lint runs while packages build and test, and must not trip over them.
      "**/*.config.bundled_*",
      "**/*.config.*.timestamp-*",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.js", "**/*.mjs"],
    languageOptions: {
      globals: { process: "readonly", console: "readonly", URL: "readonly", fetch: "readonly" },
    },
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-empty-object-type": "off",
      "no-console": "off",
    },
  },
);
