/**
 * What an editor shows when a user hovers a method: named types from the spec
 * (`Promise<DocuSignUser>`), never an expanded anonymous object or a bundler-renamed
 * internal, and the spec's summary as the method's documentation. Read with the
 * TypeScript language service over a consumer file, as an editor reads it.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type * as TS from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requireLibrary } from "../lib/lint.ts";
import { repoRoot } from "../lib/specs.ts";

const consumer = `
import { createDocuSignClient } from "@esign-users/docusign";
import { createSignableClient } from "@esign-users/signable";
import { createQuicklySignClient } from "@esign-users/quicklysign";
import { createBoldSignClient } from "@esign-users/boldsign";

const ds = createDocuSignClient({ baseUrl: "https://demo.docusign.net/restapi", accessToken: "t", accountId: "a" });
const signable = createSignableClient({ apiKey: "k" });
const qs = createQuicklySignClient({ clientId: "i", clientSecret: "s", apiKey: "k" });
const bold = createBoldSignClient({ apiKey: "k" });

ds.users.get;
ds.users.create;
ds.users.list;
signable.users.update;
qs.users.getSelf;
bold.users.update;
`;

let dir: string;
let service: TS.LanguageService;
let ts: typeof TS;

/** The hover text and documentation of the n-th method expression of the consumer. */
function hover(expression: string): { text: string; docs: string } {
  const file = join(dir, "consumer.ts");
  const position = consumer.indexOf(`${expression};`) + expression.lastIndexOf(".") + 1;
  const info = service.getQuickInfoAtPosition(file, position);
  return {
    text: ts.displayPartsToString(info?.displayParts ?? []),
    docs: ts.displayPartsToString(info?.documentation ?? []),
  };
}

beforeAll(() => {
  ts = requireLibrary<typeof TS>("typescript");
  dir = mkdtempSync(join(repoRoot, "node_modules", ".cache-hover-"));
  writeFileSync(join(dir, "consumer.ts"), consumer);
  const options: TS.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    customConditions: ["@esign-users/source"],
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    allowImportingTsExtensions: true,
    types: ["node"],
  };
  const host: TS.LanguageServiceHost = {
    getScriptFileNames: () => [join(dir, "consumer.ts")],
    getScriptVersion: () => "1",
    getScriptSnapshot: (name) => {
      const text = ts.sys.readFile(name);
      return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
    },
    getCurrentDirectory: () => dir,
    getCompilationSettings: () => options,
    getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
    fileExists: ts.sys.fileExists,
    readFile: ts.sys.readFile,
    readDirectory: ts.sys.readDirectory,
    directoryExists: ts.sys.directoryExists,
    getDirectories: ts.sys.getDirectories,
  };
  service = ts.createLanguageService(host);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("hovering a method shows the spec's names and words", () => {
  it.each([
    ["ds.users.get", "(method) DocuSignUsersMethods.get(input: DocuSignGetUserInput, options?: RequestOptions): Promise<DocuSignUser>", "Get a user."],
    ["ds.users.create", "(method) DocuSignUsersMethods.create(input: DocuSignCreateUsersInput, options?: RequestOptions): Promise<DocuSignCreateUsersResult>", "Add users."],
    ["ds.users.list", "(method) DocuSignUsersMethods.list(query?: DocuSignListUsersQuery, options?: ListOptions<number>): PageIterator<DocuSignUser, number>", "List users."],
    ["signable.users.update", "(method) SignableUsersMethods.update(input: SignableUpdateUserInput, options?: RequestOptions): Promise<SignableUpdatedUser>", "Update a user."],
    ["qs.users.getSelf", "(method) QuicklySignUsersMethods.getSelf(input?: QuicklySignGetSelfInput, options?: RequestOptions): Promise<QuicklySignUser>", "Get the signed-in user."],
    ["bold.users.update", "(method) BoldSignUsersMethods.update(input: BoldSignUpdateUserInput, options?: RequestOptions): Promise<void>", "Change a user's role or status."],
  ])("%s", (expression, text, summary) => {
    const shown = hover(expression);
    expect(shown.text).toBe(text);
    expect(shown.docs.startsWith(summary)).toBe(true);
    // The description follows, and the HTTP line naming the operation.
    expect(shown.docs).toMatch(/`(GET|POST|PUT|DELETE) \/[^`]+` \(operation `\w+`\)/);
  });
});
