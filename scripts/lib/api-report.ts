/**
 * The public surface of every package, as a reviewer reads it: for each entry point
 * of its `exports`, every name it exports, what kind of thing it is, and for
 * functions and constants their signature. Written to `packages/<folder>/api-report.md`
 * and committed, so a change to a package's surface shows in review; `npm test`
 * fails when the file is not what the code exports.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { requireLibrary } from "./lint.ts";
import { repoRoot } from "./specs.ts";
import { readManifest } from "./workspace.ts";

type TS = typeof import("typescript");

export interface ExportedName {
  name: string;
  kind: "function" | "class" | "interface" | "type" | "const" | "enum" | "namespace";
  /** A signature for functions and constants; empty for types. */
  signature: string;
  /** Declared in generated code (src/generated/): documented by the spec, not the README. */
  generated: boolean;
  /** Declared in this package, not re-exported from another. */
  own: boolean;
}

export interface EntryReport {
  /** The `exports` subpath, e.g. `.` or `./v2`. */
  subpath: string;
  names: ExportedName[];
}

export interface PackageReport {
  name: string;
  folder: string;
  entries: EntryReport[];
}

const SOURCE = "@esign-users/source";

/** The published packages and their entry points (the source files their exports name under the source condition). */
export function publishedPackages(root = repoRoot): { name: string; folder: string; dir: string; entries: { subpath: string; file: string }[] }[] {
  const out = [];
  for (const folder of readdirSync(join(root, "packages")).sort()) {
    const dir = join(root, "packages", folder);
    if (!existsSync(join(dir, "package.json"))) continue;
    const manifest = readManifest(dir);
    if (manifest.private) continue;
    const entries = Object.entries(manifest.exports ?? {}).flatMap(([subpath, target]) => {
      const source = target && typeof target === "object" ? (target as Record<string, unknown>)[SOURCE] : undefined;
      return typeof source === "string" ? [{ subpath, file: join(dir, source) }] : [];
    });
    out.push({ name: manifest.name, folder, dir, entries });
  }
  return out;
}

function kindOf(ts: TS, symbol: import("typescript").Symbol): ExportedName["kind"] {
  const f = symbol.flags;
  if (f & ts.SymbolFlags.Function) return "function";
  if (f & ts.SymbolFlags.Class) return "class";
  if (f & ts.SymbolFlags.Enum) return "enum";
  if (f & ts.SymbolFlags.Variable) return "const";
  if (f & ts.SymbolFlags.Interface) return "interface";
  if (f & ts.SymbolFlags.TypeAlias) return "type";
  return "namespace";
}

/** Reads every package's exports with one TypeScript program over their sources. */
export function buildReports(root = repoRoot): PackageReport[] {
  const ts = requireLibrary<TS>("typescript");
  const packages = publishedPackages(root);
  const files = packages.flatMap((p) => p.entries.map((e) => e.file));
  const program = ts.createProgram(files, {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    customConditions: [SOURCE],
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    allowImportingTsExtensions: true,
    types: ["node"],
    lib: ["lib.es2023.d.ts", "lib.dom.d.ts", "lib.dom.iterable.d.ts"],
  });
  const checker = program.getTypeChecker();
  const flags = ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.UseAliasDefinedOutsideCurrentScope;
  return packages.map((pkg) => ({
    name: pkg.name,
    folder: pkg.folder,
    entries: pkg.entries.map(({ subpath, file }) => {
      const source = program.getSourceFile(file);
      const module = source ? checker.getSymbolAtLocation(source) : undefined;
      const names = (module ? checker.getExportsOfModule(module) : []).map((exported) => {
        const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
        const declaration = symbol.declarations?.[0];
        const declaredIn = declaration ? relative(pkg.dir, declaration.getSourceFile().fileName) : "";
        const kind = kindOf(ts, symbol);
        let signature = "";
        if (declaration && (kind === "function" || kind === "const")) {
          const type = checker.getTypeOfSymbolAtLocation(symbol, declaration);
          signature =
            kind === "function"
              ? type
                  .getCallSignatures()
                  .map((s) => checker.signatureToString(s, declaration, flags))
                  .join("; ")
              : checker.typeToString(type, declaration, flags);
        }
        return {
          name: exported.getName(),
          kind,
          signature,
          generated: declaredIn.includes("src/generated/"),
          own: !declaredIn.startsWith(".."),
        };
      });
      names.sort((a, b) => a.name.localeCompare(b.name));
      return { subpath, names };
    }),
  }));
}

/** The report as the committed Markdown file. */
export function renderReport(report: PackageReport): string {
  const lines = [
    `# API report: ${report.name}`,
    "",
    "Generated by `npm run api:report`; `npm test` fails when it differs from what the package exports.",
    "A change here is a change to the package's public surface: review it as one.",
  ];
  for (const entry of report.entries) {
    const importPath = entry.subpath === "." ? report.name : `${report.name}/${entry.subpath.slice(2)}`;
    lines.push("", `## \`${importPath}\``, "");
    const handWritten = entry.names.filter((n) => !n.generated);
    const generated = entry.names.filter((n) => n.generated);
    for (const n of handWritten) lines.push(`- ${n.kind} \`${n.name}\`${n.signature ? `: \`${n.signature}\`` : ""}${n.own ? "" : " (re-exported)"}`);
    if (generated.length > 0) {
      lines.push("", `Generated from the spec (${generated.length}):`, "");
      for (const n of generated) lines.push(`- ${n.kind} \`${n.name}\`${n.signature ? `: \`${n.signature}\`` : ""}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

export const reportFile = (folder: string, root = repoRoot) => join(root, "packages", folder, "api-report.md");

/**
 * Names a package exports that its README never mentions. Generated types are
 * documented by the spec; re-exported runtime names by the runtime's README.
 */
export function undocumented(report: PackageReport, root = repoRoot): string[] {
  const readme = readFileSync(join(root, "packages", report.folder, "README.md"), "utf8");
  const missing = new Set<string>();
  for (const entry of report.entries) {
    for (const n of entry.names) {
      if (n.generated || !n.own) continue;
      if (!new RegExp(`\\b${n.name.replace(/[$]/g, "\\$")}\\b`).test(readme)) missing.add(n.name);
    }
  }
  return [...missing].sort();
}
