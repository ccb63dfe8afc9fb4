import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Metafile, type Plugin } from "esbuild";

const packagesDir = fileURLToPath(new URL("../../..", import.meta.url));
const repoRoot = join(packagesDir, "..");

// Workspace packages resolve to their sources, as in the other tests (no stale dist/).
function workspaceSources(): Plugin {
  const byName = new Map<string, { dir: string; exports: Record<string, unknown> }>();
  for (const folder of readdirSync(packagesDir)) {
    const file = join(packagesDir, folder, "package.json");
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, "utf8")) as { name: string; exports?: Record<string, unknown> };
    byName.set(manifest.name, { dir: join(packagesDir, folder), exports: manifest.exports ?? {} });
  }
  return {
    name: "workspace-sources",
    setup(b) {
      b.onResolve({ filter: /^(esign-users|@esign-users\/[^/]+)(\/.*)?$/ }, (args) => {
        const [, name = "", rest = ""] = /^(esign-users|@esign-users\/[^/]+)(\/.*)?$/.exec(args.path) ?? [];
        const pkg = byName.get(name);
        if (!pkg) return undefined;
        const target = pkg.exports[rest ? `.${rest}` : "."] as { import?: { default?: string } } | undefined;
        const built = target?.import?.default;
        if (!built) return { errors: [{ text: `${args.path} is not exported by ${name}` }] };
        return { path: join(pkg.dir, built.replace(/^\.\/dist\//, "src/").replace(/\.js$/, ".ts")) };
      });
    },
  };
}

/**
 * Bundles the page for a browser. `platform: "browser"` leaves Node.js built-ins
 * unresolvable, so a `node:` import anywhere in the facade fails the build.
 */
export async function bundlePage(): Promise<{ code: string; inputs: string[] }> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL("./page.ts", import.meta.url))],
    bundle: true,
    platform: "browser",
    format: "esm",
    target: "es2022",
    write: false,
    metafile: true,
    logLevel: "silent",
    // Inputs are then named from the repository's top: packages/esign-users/src/index.ts.
    absWorkingDir: repoRoot,
    plugins: [workspaceSources()],
  });
  const inputs = Object.keys((result.metafile as Metafile).inputs);
  return { code: result.outputFiles[0]?.text ?? "", inputs };
}
