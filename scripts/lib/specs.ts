import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { basename, join, relative } from "node:path";

/** Where the repository's top folder is, whatever the working directory. */
export const repoRoot = join(import.meta.dirname, "..", "..");

export interface SpecTarget {
  /** File stem, e.g. `docusign-v2.1`. */
  name: string;
  /** Absolute path of the spec. */
  file: string;
  /** Path relative to the repository, used in every message. */
  relFile: string;
  /** Provider package folder under `packages/`, e.g. `docusign`. */
  provider: string;
  /** API version when one provider has several specs, e.g. `v2.1`. */
  version: string | undefined;
  /** Folder the provider's generated code is written to. */
  outDir: string;
  /** The sandbox's copy of the spec as a module. */
  sandboxFile: string;
}

// `<provider>.yaml` or `<provider>-v<version>.yaml`: the file name alone decides where
// its code goes, so adding a provider needs no registry to edit.
const SPEC_NAME = /^([a-z][a-z0-9]*)(?:-(v[0-9]+(?:\.[0-9]+)*))?$/;

export function describeSpec(file: string, root = repoRoot): SpecTarget {
  const name = basename(file).replace(/\.ya?ml$/, "");
  const match = SPEC_NAME.exec(name);
  if (!match) {
    throw new Error(
      `${relative(root, file)}: spec file names must look like <provider>.yaml or <provider>-v<version>.yaml`,
    );
  }
  const provider = match[1] as string;
  const version = match[2];
  const base = join(root, "packages", provider, "src", "generated");
  return {
    name,
    file,
    relFile: relative(root, file),
    provider,
    version,
    outDir: version ? join(base, version) : base,
    sandboxFile: join(root, "packages", "sandbox", "src", "generated", `${name}.ts`),
  };
}

export function listSpecs(root = repoRoot): SpecTarget[] {
  const dir = join(root, "specs");
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => describeSpec(join(dir, f), root));
}

export function sha256(text: string | Buffer): string {
  return createHash("sha256").update(text).digest("hex");
}

export function readSpec(target: SpecTarget): { source: string; hash: string } {
  const source = readFileSync(target.file, "utf8");
  return { source, hash: sha256(source) };
}
