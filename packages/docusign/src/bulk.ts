import { type BulkResult, collectBulkResults } from "@esign-users/runtime";

/** What every entry of DocuSign's bulk answers may carry. */
interface BulkEntry {
  userId?: string;
  email?: string;
  errorDetails?: { errorCode?: string; message?: string };
}

/** An entry failed when it carries `errorDetails`, whatever the HTTP status said. */
function failureOf(entry: BulkEntry): { code?: string; message?: string } | undefined {
  const details = entry?.errorDetails;
  if (!details || (details.errorCode === undefined && details.message === undefined)) return undefined;
  return { code: details.errorCode, message: details.message };
}

const lower = (value: unknown) => (typeof value === "string" ? value.trim().toLowerCase() : undefined);
const asString = (value: unknown) => (typeof value === "string" ? value : undefined);

function entriesOf<E>(raw: unknown, field: "newUsers" | "users"): E[] {
  const list = (raw as Record<string, unknown> | undefined)?.[field];
  return Array.isArray(list) ? (list as E[]) : [];
}

/** Results of `POST /users`, paired with the inputs by position, or by email when the order is off. */
export function toCreateResult<I extends { email?: unknown }, E extends BulkEntry, R>(
  inputs: readonly I[],
  raw: R,
): BulkResult<E, I, R> {
  return collectBulkResults(
    {
      provider: "docusign",
      inputs,
      entries: entriesOf<E>(raw, "newUsers"),
      keyOfInput: (input) => lower(input.email),
      keyOfEntry: (entry) => lower(entry.email),
      failureOf,
      describe: (input, i) => `user ${i + 1} (${String(input.email)})`,
    },
    raw,
  );
}

/** Results of `PUT /users` and `DELETE /users`, paired with the inputs by `userId`. */
export function toUserIdResult<I extends { userId?: unknown }, E extends BulkEntry, R>(
  inputs: readonly I[],
  raw: R,
): BulkResult<E, I, R> {
  return collectBulkResults(
    {
      provider: "docusign",
      inputs,
      entries: entriesOf<E>(raw, "users"),
      keyOfInput: (input) => asString(input.userId),
      keyOfEntry: (entry) => asString(entry.userId),
      failureOf,
      describe: (input, i) => `user ${i + 1} (${String(input.userId)})`,
    },
    raw,
  );
}
