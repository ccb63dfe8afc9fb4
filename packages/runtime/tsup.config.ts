import { defineConfig } from "tsup";
import { packageBuild } from "../../tsup.base.ts";

// `public` re-exports the main entry by the package's name: it must stay an import, not a copy.
export default defineConfig(packageBuild(["src/index.ts", "src/public.ts"], { external: ["@esign-users/runtime"] }));
