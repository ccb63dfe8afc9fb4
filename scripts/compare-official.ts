/**
 * Lists every operation of our specs beside the provider's official definition and
 * reports mismatches of method, path, parameter or property names (and enums).
 *
 *   npm run compare:official                       # all pairs, reference in ../shared/reference
 *   npm run compare:official -- --reference DIR docusign-v2.1
 *
 * The official files are not ours to commit: they are read from --reference.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { parseCommand, usageError } from "./lib/cli.ts";
import { type Additions, compareSpecs } from "./lib/compare.ts";
import { repoRoot } from "./lib/specs.ts";
import { printTable } from "./lib/table.ts";

interface Pair {
  spec: string;
  official: string;
  /** What the provider added after the official file was published (reference/PROVIDERS.md). */
  additions?: Additions;
}

/**
 * The custom-settings group travels in the `X-DocuSign-User-Settings-Key` header,
 * which DocuSign's reference describes in the operations' prose but the Swagger
 * files do not list as a parameter; our specs declare it so a call can send it.
 */
const settingsGroup = (version: string): Record<string, string[]> =>
  Object.fromEntries(
    ["GET", "PUT", "DELETE"].map((m) => [`${m} /${version}/accounts/{accountId}/users/{userId}/custom_settings`, ["X-DocuSign-User-Settings-Key"]]),
  );

const DOCUSIGN_V21_ADDITIONS: Additions = {
  params: {
    "GET /v2.1/accounts/{accountId}/users": ["alternate_admins_only", "include_license"],
    "GET /v2.1/accounts/{accountId}/users/{userId}": ["include_license"],
    ...settingsGroup("v2.1"),
  },
  properties: [
    "isAlternateAdmin",
    "isManagedByScim",
    "isMembershipManagedByScim",
    "licenseStatus",
    "licenseType",
    "ipAddress",
    "accessType",
    "lastModifiedOn",
    "userGroupType",
    "canManageJointAgreements",
    "canManageStamps",
    ...[
      "accountAgreementsAccessType",
      "allowAccessToAllAccountAgreements",
      "allowedDocumentTemplateLibraryAccess",
      "allowedOrchestrationAccess",
      "allowTransactions",
      "canBulkUploadAgreements",
      "canCreateTransaction",
      "canDeleteDocumentsInTransaction",
      "canDeleteTransaction",
      "canManageAgreementParties",
      "enableKeyTermsSuggestionsByDocumentType",
      "webForms",
    ].flatMap((s) => [s, `${s}Metadata`]),
  ],
};

export const PAIRS: Record<string, Pair> = {
  "docusign-v2.1": {
    spec: "specs/docusign-v2.1.yaml",
    official: "docusign/esignature-users-v2.1.json",
    additions: DOCUSIGN_V21_ADDITIONS,
  },
  "docusign-v2": {
    spec: "specs/docusign-v2.yaml",
    official: "docusign/esignature-users-v2.json",
    additions: { params: settingsGroup("v2") },
  },
  boldsign: { spec: "specs/boldsign.yaml", official: "boldsign/boldsign-users.json" },
};

const COMMAND = "npm run compare:official --";
const { values, positionals } = parseCommand({
  command: COMMAND,
  summary:
    "Lists every operation of our specs beside the provider's official definition and reports mismatches\n" +
    "of method, path, parameter or property names (and enums). Exit 1 when there is a mismatch.",
  positionals: `[${Object.keys(PAIRS).join("|")} ...]`,
  options: {
    reference: {
      type: "string",
      value: "<dir>",
      default: join(repoRoot, "..", "shared", "reference"),
      description: "folder holding the official definitions (not committed here)",
    },
  },
});
const reference = resolve(values.reference);
if (!existsSync(reference)) usageError(COMMAND, `no reference folder at ${reference}; pass --reference <dir>`);
const unknownPairs = positionals.filter((n) => !PAIRS[n]);
if (unknownPairs.length > 0) usageError(COMMAND, `no pair named ${unknownPairs.join(", ")}; have ${Object.keys(PAIRS).join(", ")}`);
const names = positionals.length > 0 ? positionals : Object.keys(PAIRS);
let failures = 0;
for (const name of names) {
  const pair = PAIRS[name] as Pair;
  const specPath = join(repoRoot, pair.spec);
  const officialPath = join(reference, pair.official);
  if (!existsSync(specPath) || !existsSync(officialPath)) {
    console.log(`\n${name}: skipped (${existsSync(specPath) ? officialPath : specPath} not found)`);
    continue;
  }
  const result = compareSpecs(
    parseYaml(readFileSync(specPath, "utf8")),
    JSON.parse(readFileSync(officialPath, "utf8")),
    pair.additions,
  );
  console.log(`\n${name}: ${pair.spec} vs ${pair.official}`);
  printTable(
    ["operation", "ours", "official", "parameters", "properties"],
    result.rows.map((r) => [r.key, r.ours, r.official ?? "—", r.params, r.properties]),
  );
  if (result.notCovered.length > 0) {
    console.log(`  official operations we do not cover yet (${result.notCovered.length}): ${result.notCovered.join(", ")}`);
  }
  for (const m of result.mismatches) console.log(`  ✗ ${m.operation} — ${m.where}: ${m.message}`);
  console.log(`  ${result.mismatches.length} mismatch(es)`);
  failures += result.mismatches.length;
}
process.exit(failures > 0 ? 1 : 0);
