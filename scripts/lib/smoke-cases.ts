import { readFileSync } from "node:fs";
import semver from "semver";
import { parse } from "yaml";
import { buildApi, type OperationEntry } from "./operations.ts";
import { listSpecs, type SpecTarget } from "./specs.ts";

/**
 * How release:verify exercises each provider package once installed from a
 * registry: the sandbox to start, the client factory, and a few lines calling it.
 * The same lines run as ESM, as CommonJS and as TypeScript, so they use only
 * `client`, `sandbox` ({ url, credentials }), `tag` (unique per run, for unique emails)
 * and `await`, and `return` a value to print.
 *
 * Nothing here is written per provider: every case is derived from the provider's
 * spec (see `smokeCaseOf`), so a provider added with `npm run new-provider` has one.
 */
export interface SmokeCase {
  /** `esign-users-sandbox --provider <sandbox>`. */
  sandbox: string;
  /** The export that builds a client. */
  factory: string;
  /** Client options, as an expression over `sandbox`. */
  options: string;
  /** Statements calling `client`, ending in `return <something printable>`. */
  body: string;
  /** The facade's provider name, when `createUserDirectory` knows this provider. */
  facadeProvider: string;
}

/**
 * What the sandbox hands out is, with its URL, a working set of client options for
 * every provider (the sandbox's contract, tested in packages/sandbox), for the
 * provider's client and for `createUserDirectory` alike.
 */
const SANDBOX_OPTIONS = "{ ...sandbox.credentials, baseUrl: sandbox.url }";

/** `v2.1` before `v2` before `v1`: the newest version is the one a package's main entry serves. */
const newestFirst = (a: SpecTarget, b: SpecTarget): number =>
  semver.rcompare(semver.coerce(a.version ?? "0") ?? "0.0.0", semver.coerce(b.version ?? "0") ?? "0.0.0");

/**
 * The read a smoke makes: the first GET of the spec that needs nothing from the
 * caller, beyond the parameters the client fills from its options
 * (`x-esign-provider.defaultParams`) and, for a paginated list, those the paginator
 * manages. A list is iterated to its end, so the paginator runs too.
 */
export function smokeReadOf(
  operations: Record<string, OperationEntry>,
  defaults: Record<string, string> = {},
): { operation: string; method: string; paginated: boolean } | undefined {
  for (const [operation, op] of Object.entries(operations)) {
    if (op.method !== "get" || op.body?.required) continue;
    const managed = new Set([...Object.keys(defaults), ...(op.pagination ? [op.pagination.param, op.pagination.size] : [])]);
    if (op.params.some((p) => p.required && !managed.has(p.name))) continue;
    return { operation, method: op.name, paginated: Boolean(op.pagination) };
  }
  return undefined;
}

/** The smoke case of one provider package, from its newest spec. */
export function smokeCaseOf(folder: string, specs: SpecTarget[] = listSpecs()): SmokeCase {
  const spec = specs.filter((s) => s.provider === folder).sort(newestFirst)[0];
  if (!spec) throw new Error(`packages/${folder}: no spec in specs/ generates it, so it has no smoke case`);
  const api = buildApi(parse(readFileSync(spec.file, "utf8")), spec.provider);
  const read = smokeReadOf(api.operations, api.defaults);
  if (!read) {
    throw new Error(
      `${spec.relFile}: no GET operation that needs nothing from the caller, so release:verify has nothing to call ` +
        "(a smoke calls the first such operation)",
    );
  }
  const body = read.paginated
    ? `let count = 0;
for await (const item of client.${read.method}()) if (item) count++;
return \`${read.method}: \${count} item(s)\`;`
    : `const answer = await client.${read.method}();
return \`${read.method}: \${Object.keys(answer ?? {}).length} field(s)\`;`;
  return { sandbox: folder, factory: `create${api.title}Client`, options: SANDBOX_OPTIONS, body, facadeProvider: folder };
}

/** Every provider package's smoke case, keyed by its folder under packages/. */
export function smokeCases(specs: SpecTarget[] = listSpecs()): Record<string, SmokeCase> {
  const folders = [...new Set(specs.map((s) => s.provider))];
  return Object.fromEntries(folders.map((folder) => [folder, smokeCaseOf(folder, specs)]));
}

/**
 * The facade's smoke, over each provider: `client` is `createUserDirectory({ provider, ...options })`.
 * Creating is what every provider supports with the sandbox's default credentials.
 */
export const facadeBody = `const created = await client.create({ email: \`facade-\${tag}@example.com\`, firstName: "Facade", lastName: "Smoke" });
return \`\${client.provider}: \${created.email}\`;`;
