import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { run as runCommand, startTracked, stop, waitForLine } from "./processes.ts";

/** What a smoke script needs to know: the package, its factory, options and body. */
export interface SmokeScript {
  label: string;
  pkg: string;
  factory: string;
  /** Expression over `sandbox`. */
  options: string;
  body: string;
}

export interface SmokeResult {
  variant: string;
  ok: boolean;
  output: string;
  ms: number;
}

export const VARIANTS = ["ESM", "CJS", "TS nodenext", "TS bundler"] as const;

const sh = (command: string, args: string[], cwd: string, env?: NodeJS.ProcessEnv) =>
  runCommand(command, args, { cwd, env, timeoutMs: 300_000 });

const indent = (code: string) => code.split("\n").map((l) => `  ${l}`).join("\n");

/** One smoke script in each module system; the lines under test are the same in all. */
export function renderSmoke(s: SmokeScript): { esm: string; cjs: string; ts: string } {
  // TypeScript sees the sandbox's credentials as plain strings; the options they make
  // are the factory's own (the sandbox's contract), which the cast states.
  const prelude = (sandboxType: string, cast = "") => [
    `const sandbox${sandboxType} = JSON.parse(process.env.SMOKE_SANDBOX ?? "{}");`,
    `const tag = process.env.SMOKE_TAG ?? "smoke";`,
    `const client = ${s.factory}(${s.options}${cast});`,
  ];
  return {
    esm: [
      `import { ${s.factory} } from "${s.pkg}";`,
      ...prelude(""),
      `const result = await (async () => {\n${indent(s.body)}\n})();`,
      "console.log(result);",
      "",
    ].join("\n"),
    cjs: [
      `const { ${s.factory} } = require("${s.pkg}");`,
      ...prelude(""),
      `(async () => {\n${indent(s.body)}\n})().then(`,
      "  (result) => console.log(result),",
      "  (error) => {",
      "    console.error(error);",
      "    process.exitCode = 1;",
      "  },",
      ");",
      "",
    ].join("\n"),
    ts: [
      `import { ${s.factory} } from "${s.pkg}";`,
      ...prelude(": { url: string; credentials: Record<string, string> }", ` as Parameters<typeof ${s.factory}>[0]`),
      `async function main() {\n${indent(s.body)}\n}`,
      "console.log(await main());",
      "",
    ].join("\n"),
  };
}

const tsconfig = (moduleKind: "NodeNext" | "ESNext", resolution: "NodeNext" | "Bundler", outDir: string) => ({
  compilerOptions: {
    target: "ES2022",
    module: moduleKind,
    moduleResolution: resolution,
    lib: ["ES2023", "DOM"],
    types: ["node"],
    strict: true,
    // The published declarations are compiled too, not only the smoke script.
    skipLibCheck: false,
    outDir,
  },
});

export interface Project {
  dir: string;
  /** name → version of every esign-users package installed, and where it came from. */
  installed: { name: string; version: string; resolved: string }[];
}

/**
 * A fresh npm project that installs `specs` (our packages from the local registry,
 * everything else from the public one) — as a user's project would.
 */
export async function createProject(dir: string, specs: string[], npmrc: string): Promise<Project> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), `${JSON.stringify({ name: "release-smoke", private: true, type: "module" }, null, 2)}\n`);
  writeFileSync(join(dir, ".npmrc"), npmrc);
  const install = await sh("npm", ["install", "--no-audit", "--no-fund", "--save-exact", "--userconfig", join(dir, ".npmrc"), ...specs], dir);
  if (!install.ok) throw new Error(`npm install ${specs.join(" ")} failed:\n${install.out}`);
  const lock = JSON.parse(readFileSync(join(dir, "package-lock.json"), "utf8")) as {
    packages: Record<string, { version?: string; resolved?: string }>;
  };
  const installed = Object.entries(lock.packages)
    .filter(([path]) => /node_modules\/(@esign-users\/[^/]+|esign-users)$/.test(path))
    .map(([path, entry]) => ({
      name: path.replace(/^.*node_modules\//, ""),
      version: entry.version ?? "?",
      resolved: entry.resolved ?? "?",
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return { dir, installed };
}

/** Starts the installed sandbox's CLI for one provider; resolves to its URL, credentials and a stop function. */
export async function startProjectSandbox(dir: string, provider: string) {
  const bin = join(dir, "node_modules", ".bin", "esign-users-sandbox");
  if (!existsSync(bin)) throw new Error(`${bin} missing: @esign-users/sandbox did not install its CLI`);
  const child = startTracked(bin, ["--provider", provider, "--port", "0", "--idle-minutes", "2", "--json"], {
    cwd: dir,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const line = await waitForLine(child, /^\{"provider":.*\}$/, 20_000);
  const started = JSON.parse(line[0]) as { url: string; credentials: Record<string, string> };
  // Keep draining its output so a chatty sandbox never blocks on a full pipe.
  child.stdout?.resume();
  child.stderr?.resume();
  return {
    sandbox: { url: started.url, credentials: started.credentials },
    stop: () => stop(child),
  };
}

export interface SmokeRun {
  script: SmokeScript;
  sandbox: { url: string; credentials: Record<string, string> };
}

/**
 * Writes every smoke script of a project in each variant and runs them. The
 * TypeScript ones are compiled together, once per module resolution, and must
 * compile (published declarations included) before they run.
 */
export async function runSmokes(dir: string, runs: SmokeRun[], tsc: string): Promise<Map<string, SmokeResult[]>> {
  const folder = join(dir, "smoke");
  mkdirSync(folder, { recursive: true });
  const fileOf = (run: SmokeRun) => run.script.label.replace(/[^a-z0-9]+/gi, "-");
  for (const run of runs) {
    const code = renderSmoke(run.script);
    writeFileSync(join(folder, `${fileOf(run)}.mjs`), code.esm);
    writeFileSync(join(folder, `${fileOf(run)}.cjs`), code.cjs);
    writeFileSync(join(folder, `${fileOf(run)}.ts`), code.ts);
  }
  const files = runs.map((r) => `${fileOf(r)}.ts`);
  const compiled = new Map<string, { ok: boolean; out: string; ms: number }>();
  for (const [variant, resolution, moduleKind, outDir] of [
    ["TS nodenext", "NodeNext", "NodeNext", "out-nodenext"],
    ["TS bundler", "Bundler", "ESNext", "out-bundler"],
  ] as const) {
    const config = `tsconfig.${outDir}.json`;
    writeFileSync(join(folder, config), JSON.stringify({ ...tsconfig(moduleKind, resolution, outDir), files }, null, 2));
    const started = performance.now();
    const result = await sh(process.execPath, [tsc, "-p", config], folder);
    compiled.set(variant, { ...result, ms: Math.round(performance.now() - started) });
  }

  const results = new Map<string, SmokeResult[]>();
  for (const run of runs) {
    const node = async (file: string, variant: string): Promise<SmokeResult> => {
      const started = performance.now();
      const r = await runCommand(process.execPath, [file], {
        cwd: folder,
        timeoutMs: 60_000,
        env: {
          ...process.env,
          SMOKE_SANDBOX: JSON.stringify(run.sandbox),
          SMOKE_TAG: `${variant.replace(/\W+/g, "-").toLowerCase()}-${Date.now()}`,
        },
      });
      return { variant, ok: r.ok, output: r.out, ms: Math.round(performance.now() - started) };
    };
    const list = [await node(`${fileOf(run)}.mjs`, "ESM"), await node(`${fileOf(run)}.cjs`, "CJS")];
    for (const [variant, outDir] of [["TS nodenext", "out-nodenext"], ["TS bundler", "out-bundler"]] as const) {
      const tscResult = compiled.get(variant)!;
      // tsc still emits when it reports errors: blame only the scripts (or declarations) it names.
      const errors = tscResult.out.split("\n").filter((l) => / error TS\d+/.test(l));
      const mine = errors.filter((l) => l.startsWith(`${fileOf(run)}.ts(`));
      const elsewhere = errors.filter((l) => !runs.some((r) => l.startsWith(`${fileOf(r)}.ts(`)));
      if (mine.length > 0 || elsewhere.length > 0 || (!tscResult.ok && errors.length === 0)) {
        const shown = mine.length + elsewhere.length > 0 ? [...mine, ...elsewhere].join("\n") : tscResult.out;
        list.push({ variant, ok: false, output: `tsc failed (${tscResult.ms} ms):\n${shown}`, ms: 0 });
        continue;
      }
      list.push(await node(join(outDir, `${fileOf(run)}.js`), variant));
    }
    results.set(run.script.label, list);
  }
  for (const [variant, r] of compiled) if (r.ok) console.log(`    tsc ${variant.slice(3)}: ${files.length} file(s) compiled in ${r.ms} ms`);
  return results;
}
