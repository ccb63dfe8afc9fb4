/**
 * `npm run new-provider -- <name>`: everything a provider needs besides its spec and
 * its behaviour, made from `specs/<name>.yaml`. It writes the package (client
 * factory, index, README, tests, build and test configuration), the sandbox module
 * (credentials, error shape and base path read from the spec; every operation
 * answered from the spec until a handler is written) registered in the sandbox's
 * provider map, a facade adapter to fill in, and the other-language generator
 * entries. It never overwrites a file.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { parse } from "yaml";
import { serverTypeName } from "./client-types.ts";
import { type ApiEntry, buildApi } from "./operations.ts";
import { expectedMetadata } from "./package-metadata.ts";
import { repoRoot } from "./specs.ts";
import { readManifest } from "./workspace.ts";

export interface ScaffoldResult {
  written: string[];
  edited: string[];
  next: string[];
}

const NAME = /^[a-z][a-z0-9]*$/;

/** The credential option names, in the order the spec's security alternatives list them. */
function credentialsOf(api: ApiEntry): { name: string; description: string }[] {
  const seen = new Map<string, string>();
  for (const [scheme, entry] of Object.entries(api.securitySchemes)) {
    const name = entry.credential ?? scheme;
    if (seen.has(name)) continue;
    const how =
      entry.type === "http" && entry.scheme === "basic"
        ? `sent as the HTTP Basic user name${entry.password ? ` (password \`${entry.password}\`)` : " with an empty password"}`
        : entry.type === "apiKey"
          ? `sent in the \`${entry.name}\` ${entry.in}`
          : "sent as `Authorization: Bearer`";
    seen.set(name, how);
  }
  return [...seen].map(([name, description]) => ({ name, description }));
}

/** Refuses, before anything is generated or written, a name or a state the scaffold cannot work from. */
export function checkScaffold(name: string, root = repoRoot): void {
  if (!NAME.test(name)) throw new Error(`the provider name must be lower-case letters and digits (got ${JSON.stringify(name)})`);
  if (!existsSync(join(root, "specs", `${name}.yaml`))) {
    throw new Error(`specs/${name}.yaml does not exist: write the provider's spec first (see specs/README.md), then run this again`);
  }
  if (existsSync(join(root, "packages", name, "package.json"))) {
    throw new Error(`packages/${name} exists already; the scaffold never overwrites a file`);
  }
}

export function scaffoldProvider(name: string, root = repoRoot): ScaffoldResult {
  checkScaffold(name, root);
  const specFile = join(root, "specs", `${name}.yaml`);
  const pkgDir = join(root, "packages", name);

  const doc = parse(readFileSync(specFile, "utf8")) as Record<string, unknown>;
  const api = buildApi(doc, name);
  const title = api.title;
  const credentials = credentialsOf(api);
  const runtime = readManifest(join(root, "packages", "runtime"));
  const sandboxVersion = readManifest(join(root, "packages", "sandbox")).version;
  const written: string[] = [];
  const edited: string[] = [];
  const write = (file: string, text: string) => {
    if (existsSync(file)) throw new Error(`${relative(root, file)} exists already; the scaffold never overwrites a file`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    written.push(relative(root, file));
  };
  const serverOption = api.serverOption;
  const serverType = serverOption ? serverTypeName(title, serverOption) : undefined;
  const single = credentials.length === 1;

  // ---- the package ----
  const manifest = {
    name: `@esign-users/${name}`,
    version: "0.1.0",
    description: `Typed client for the ${title} user API, generated from a hand-written OpenAPI 3.1 spec.`,
    keywords: [name, "esign", "users", "openapi"],
    ...expectedMetadata({ folder: name, name: `@esign-users/${name}`, manifest: { name: `@esign-users/${name}` } as never }),
    main: "./dist/index.cjs",
    module: "./dist/index.js",
    types: "./dist/index.d.ts",
    exports: {
      ".": {
        "@esign-users/source": "./src/index.ts",
        import: { types: "./dist/index.d.ts", default: "./dist/index.js" },
        require: { types: "./dist/index.d.cts", default: "./dist/index.cjs" },
      },
      "./package.json": "./package.json",
    },
    // Type check and lint are the repository's (one program and one ESLint run over every package).
    scripts: { build: "tsup", test: "vitest run" },
    dependencies: { "@esign-users/runtime": `^${runtime.version}`, "openapi-fetch": runtime.dependencies?.["openapi-fetch"] },
    devDependencies: { "@esign-users/sandbox": `^${sandboxVersion}` },
  };
  write(join(pkgDir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  write(join(pkgDir, "LICENSE"), readFileSync(join(root, "packages", "runtime", "LICENSE"), "utf8"));
  write(join(pkgDir, "tsconfig.json"), readFileSync(join(root, "packages", "runtime", "tsconfig.json"), "utf8"));
  write(join(pkgDir, "vitest.config.ts"), 'export { default } from "../../vitest.shared.ts";\n');
  write(
    join(pkgDir, "tsup.config.ts"),
    'import { defineConfig } from "tsup";\nimport { packageBuild } from "../../tsup.base.ts";\n\nexport default defineConfig(packageBuild());\n',
  );

  const optionLines = credentials.map(
    (c) => `  /** ${c.description}; a string, or a function returning one (called before every request). */\n  ${c.name}${single ? "" : "?"}: Credential;`,
  );
  if (serverOption) optionLines.push(`  /** Which server to talk to (from the spec's \`servers\`); \`baseUrl\` overrides it. */\n  ${serverOption}?: ${serverType};`);
  write(
    join(pkgDir, "src", "client.ts"),
    `import {
  type CommonClientOptions,
  type Credential,
  createProviderClient,
} from "@esign-users/runtime";
import type { Client } from "openapi-fetch";
import type { ${title}Methods${serverType ? `, ${serverType}` : ""} } from "./generated/client.js";
import { api } from "./generated/operations.js";
import type { paths } from "./generated/schema.js";

export interface ${title}ClientOptions extends CommonClientOptions {
${optionLines.join("\n")}
}

/** Every operation of the ${title} spec as a method, plus \`raw\`. */
export interface ${title}Client extends ${title}Methods {
  /** The typed openapi-fetch client, with this client's auth, retries and timeouts. */
  readonly raw: Client<paths>;
}

/**
 * A client for the ${title} user API: one method per operation of \`specs/${name}.yaml\`,
 * each input checked against the spec before anything is sent.
 */
export function create${title}Client(options: ${title}ClientOptions): ${title}Client {
  // The runtime checks the credentials against the spec's security (one alternative must be given).
  return createProviderClient<${title}Methods, paths>({ api }, { ...options }, { ${credentials.map((c) => `${c.name}: options?.${c.name}`).join(", ")} }).client;
}
`,
  );
  write(
    join(pkgDir, "src", "index.ts"),
    `export * from "@esign-users/runtime/public";
export { create${title}Client, type ${title}Client, type ${title}ClientOptions } from "./client.js";
export type * from "./generated/client.js";
export { api } from "./generated/operations.js";
export type { components, operations as ${title}Operations, paths } from "./generated/schema.js";
`,
  );
  const firstMethod = Object.values(api.operations)[0]?.name ?? "users.get";
  write(
    join(pkgDir, "README.md"),
    `# @esign-users/${name}

A typed client for the ${title} user API, generated from a hand-written OpenAPI 3.1
description (\`specs/${name}.yaml\`) and built on [\`@esign-users/runtime\`](../runtime)
(retries, timeouts, typed errors, redaction).

\`\`\`sh
npm install @esign-users/${name}
\`\`\`

## Usage

\`\`\`ts
import { create${title}Client, ValidationError } from "@esign-users/${name}";

const client = create${title}Client({ ${credentials[0]?.name ?? "apiKey"}: process.env.${name.toUpperCase()}_${(credentials[0]?.name ?? "apiKey").replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}! });
// Every operation of the spec is a method: client.${firstMethod}(…); see ${title}Methods.
\`\`\`

\`create${title}Client(options)\` returns a \`${title}Client\`: the spec's operations as
methods (\`${title}Methods\`), each taking one object of parameters and body fields,
plus \`raw\`, the typed openapi-fetch client. \`${title}ClientOptions\` takes
${credentials.map((c) => `\`${c.name}\` (${c.description})`).join(" or ")}${serverOption ? `, \`${serverOption}\`` : ""} and the options every client
shares (\`baseUrl\`, \`timeoutMs\`, \`maxRetries\`, \`logger\`, …).

\`api\` is the spec as data (what the runtime validates calls against). Every schema
of the spec is a named type (\`${title}<Schema>\`), every operation has
\`${title}<OperationId>Input\` and, where useful, \`…Result\` types, and
\`paths\`/\`components\`/\`${title}Operations\` are openapi-typescript's. Errors are the
runtime's (\`EsignApiError\` and its subclasses, \`ValidationError\` before any request).

## Licence

MIT.
`,
  );
  write(
    join(pkgDir, "test", `${name}.test.ts`),
    `import { type ProviderName, startSandbox } from "@esign-users/sandbox";
import { describe, expect, it } from "vitest";
import { api, create${title}Client } from "../src/index.js";

describe("create${title}Client", () => {
  it("has a method for every operation of the spec, and reaches the sandbox with its credentials", async () => {
    const sb = await startSandbox({ provider: "${name}" as ProviderName });
    try {
      const client = create${title}Client({ ...(sb.credentials as object), baseUrl: sb.url } as never) as unknown as Record<
        string,
        Record<string, (input?: object) => Promise<unknown>>
      >;
      const methodOf = (name: string, paged: boolean) => {
        const [namespace, method] = name.includes(".") ? name.split(".") : ["", name];
        const holder = (namespace ? client[namespace as string] : client) as Record<string, unknown>;
        return holder?.[\`\${method}\${paged ? "Page" : ""}\`];
      };
      for (const op of Object.values(api.operations)) {
        expect(typeof methodOf(op.name, op.pagination !== undefined), op.name).toBe("function");
      }
      // The operations that need no input reach the sandbox, which checks them against the spec.
      for (const [id, op] of Object.entries(api.operations)) {
        const needsInput = op.params.some((p) => p.required) || op.body?.required === true;
        if (needsInput) continue;
        const method = methodOf(op.name, op.pagination !== undefined) as (input?: object) => Promise<unknown>;
        await method({});
        expect(sb.requests.at(-1)?.operationId, id).toBe(id);
        expect(sb.requests.at(-1)?.problems, id).toEqual([]);
      }
    } finally {
      await sb.close();
    }
  });
});
`,
  );

  // ---- the sandbox module, registered ----
  const credentialType = `${title}Credentials`;
  write(
    join(root, "packages", "sandbox", "src", "providers", `${name}.ts`),
    `import spec from "../generated/${name}.js";
import { authOutcome, invalidFromSpec, specFacts } from "../spec-provider.js";
import type { SandboxProvider, SandboxResponse } from "../types.js";

/** The credentials the ${title} sandbox accepts, by the client option that carries each. */
export interface ${credentialType} {
${credentials.map((c) => `  ${c.name}: string;`).join("\n")}
}

/** What the sandbox keeps between requests. Add the provider's users here as its handlers take shape. */
export type ${title}State = Record<string, never>;

const facts = specFacts(spec);

function error(status: number, message: string, code: string | number = "error"): SandboxResponse {
  return { status, body: facts.errorBody(message, code) };
}

/**
 * The ${title} sandbox. Credentials, the error shape and the base path come from the
 * spec; every operation without a handler is answered from the spec (its first
 * success response, smallest valid body). Write handlers, one per operationId, as the
 * provider's behaviour is learned.
 */
export const ${name}: SandboxProvider<${title}State, ${credentialType}> = {
  name: "${name}",
  spec,
  basePath: facts.basePath,
  defaultCredentials: () => ({ ${credentials.map((c) => `${c.name}: "sandbox-${name}-${c.name.replace(/[A-Z]/g, (ch) => `-${ch.toLowerCase()}`)}"`).join(", ")} }),
  createState: () => ({}),
  authenticate: (request, operation, _state, credentials) =>
    authOutcome(facts, facts.authenticate(request, operation, credentials as unknown as Record<string, string>), "unauthorized"),
  error,
  invalid: (problems) => invalidFromSpec(facts, problems, "invalid_request"),
  handlers: {},
};
`,
  );
  const registry = join(root, "packages", "sandbox", "src", "providers", "index.ts");
  let text = readFileSync(registry, "utf8");
  const importLine = `import { ${name} } from "./${name}.js";\n`;
  const lastImport = text.lastIndexOf('.js";\n') + '.js";\n'.length;
  text = text.slice(0, lastImport) + importLine + text.slice(lastImport);
  text = text.replace(/\n\} as const;/, `\n  ${name},\n} as const;`);
  writeFileSync(registry, text);
  edited.push(relative(root, registry));

  // ---- the facade adapter, to fill in ----
  write(
    join(root, "packages", "esign-users", "src", "adapters", `${name}.ts`),
    `import { create${title}Client, type ${title}Client, type ${title}ClientOptions } from "@esign-users/${name}";
import { UnsupportedOperationError } from "@esign-users/runtime";
import { defineAdapter, type ProviderAdapter } from "../adapter.js";
import type { Capabilities } from "../types.js";

/**
 * What ${title} can do, in the facade's terms. Written by \`npm run new-provider\`
 * with nothing supported: set each operation as its mapping below is written, then
 * register the adapter in ../providers.ts and add "@esign-users/${name}" to the
 * facade's dependencies; every shared facade suite then runs on it.
 */
export const ${name}Capabilities = {
  create: { supported: false, meaning: "not mapped yet", fields: [], roles: [], requires: [], sendsInvitation: false },
  get: { supported: false, meaning: "not mapped yet", scope: "any user" },
  list: { supported: false, meaning: "not mapped yet", search: "directory", statusFilter: "directory" },
  update: { supported: false, meaning: "not mapped yet", fields: [] },
  remove: { supported: false, meaning: "not mapped yet", effect: "none" },
  createMany: { supported: false, meaning: "not mapped yet", nativeBulk: false },
} as const satisfies Capabilities;

export const ${name}Adapter = defineAdapter(${name}Capabilities, (options: ${title}ClientOptions): ProviderAdapter<${title}Client> => {
  const client = create${title}Client(options);
  const notYet = (operation: string) => new UnsupportedOperationError("${name}", operation, "the adapter does not map it yet");
  return {
    provider: "${name}" as never,
    raw: client,
    capabilities: ${name}Capabilities,
    async create() {
      throw notYet("create");
    },
    async get() {
      throw notYet("get");
    },
    async update() {
      throw notYet("update");
    },
    isDuplicate: () => false,
  };
});
`,
  );

  // ---- other languages ----
  const tools = join(root, "openapitools.json");
  if (existsSync(tools)) {
    const config = JSON.parse(readFileSync(tools, "utf8")) as { "generator-cli": { generators: Record<string, unknown> } };
    const generators = config["generator-cli"].generators;
    generators[`${name}-python`] ??= {
      generatorName: "python",
      inputSpec: `specs/${name}.yaml`,
      output: `out/python/${name}`,
      additionalProperties: { packageName: `esign_users_${name}`, projectName: `esign-users-${name}` },
    };
    generators[`${name}-go`] ??= {
      generatorName: "go",
      inputSpec: `specs/${name}.yaml`,
      output: `out/go/${name}`,
      additionalProperties: { packageName: name, isGoSubmodule: true },
    };
    writeFileSync(tools, `${JSON.stringify(config, null, 2)}\n`);
    edited.push("openapitools.json");
  }

  return {
    written,
    edited,
    next: [
      "npm install  (links the new workspace package)",
      `write the sandbox's handlers in packages/sandbox/src/providers/${name}.ts (each operation answers from the spec until then)`,
      `map users in packages/esign-users/src/adapters/${name}.ts, register it in packages/esign-users/src/providers.ts and add "@esign-users/${name}" to packages/esign-users/package.json`,
      "npm run size:budgets  (a size budget for the new package)",
      "npm run api:report  (the package's public surface, which npm test then holds it to)",
      `npm run compare:official  (pair the spec with the provider's official definition, if it publishes one)`,
    ],
  };
}
