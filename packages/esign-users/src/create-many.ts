import {
  EsignApiError,
  isRetryableStatus,
  provesNotProcessed,
  type RequestOptions,
  ValidationError,
} from "@esign-users/runtime";
import type { ProviderAdapter } from "./adapter.js";
import type { CreateManyItem, CreateManyOptions, CreateManyResult, NewUser, User } from "./types.js";
import { validateNewUser } from "./validate.js";

/** Runs `task` over `items` with at most `limit` in flight; results in input order. */
export async function pool<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Whether a failed create might nevertheless have created the user: no answer,
 * or an answer that does not say "refused". Those are checked against the
 * provider afterwards instead of being reported as failures.
 */
function mayHaveHappened(error: EsignApiError): boolean {
  if (error instanceof ValidationError) return false;
  if (error.status === undefined) return true;
  // The statuses the runtime retries are the ones that do not prove a refusal.
  return isRetryableStatus(error.status) || error.status < 300;
}

function asApiError(error: unknown, provider: string): EsignApiError {
  if (error instanceof EsignApiError) return error;
  return new EsignApiError({ message: `${provider}: ${(error as Error)?.message ?? String(error)}`, provider, cause: error });
}

const emailKey = (email: string) => email.trim().toLowerCase();

async function usersByEmail(adapter: ProviderAdapter, options: RequestOptions): Promise<Map<string, User> | undefined> {
  if (!adapter.list) return undefined;
  const byEmail = new Map<string, User>();
  for await (const user of adapter.list({}, options)) byEmail.set(emailKey(user.email), user);
  return byEmail;
}

type Outcome = { user: User } | { error: EsignApiError };

const MAX_ROUNDS = 3;

/** One round of creation: the bulk endpoint in batches where there is one, else one request per user. */
async function attempt(
  adapter: ProviderAdapter,
  indexes: number[],
  inputs: readonly NewUser[],
  concurrency: number,
  createOne: (index: number) => Promise<Outcome>,
  requestOptions: RequestOptions,
): Promise<Map<number, Outcome>> {
  const outcomes = new Map<number, Outcome>();
  if (!adapter.createBatch) {
    const results = await pool(indexes, concurrency, createOne);
    indexes.forEach((index, k) => outcomes.set(index, results[k] as Outcome));
    return outcomes;
  }
  const size = adapter.batchSize ?? 50;
  const chunks: number[][] = [];
  for (let i = 0; i < indexes.length; i += size) chunks.push(indexes.slice(i, i + size));
  const createBatch = adapter.createBatch.bind(adapter);
  await pool(chunks, Math.min(concurrency, 2), async (chunk) => {
    try {
      const results = await createBatch(chunk.map((i) => inputs[i] as NewUser), requestOptions);
      chunk.forEach((index, k) =>
        outcomes.set(index, results[k] ?? { error: asApiError(new Error("the bulk answer had no result for this user"), adapter.provider) }),
      );
    } catch (error) {
      const e = asApiError(error, adapter.provider);
      if (mayHaveHappened(e) || chunk.length === 1) {
        for (const index of chunk) outcomes.set(index, { error: e });
      } else {
        // The whole batch was refused for one user's sake: find out which, one at a time.
        const single = await pool(chunk, concurrency, createOne);
        chunk.forEach((index, k) => outcomes.set(index, single[k] as Outcome));
      }
    }
  });
  return outcomes;
}

const NOT_CHECKED =
  "nothing was created: the list of existing users could not be read, so no create was sent; run createMany again";
const UNCHECKED_LIST =
  "the answer to the create was lost and the provider's users could not be listed to check; look the user up (list users, or get it by email) before creating it again";
const UNCHECKABLE =
  "the answer to the create was lost, and this provider cannot list users to check. A new create would be refused as a duplicate and cannot return what only the lost answer carried (QuicklySign shows a user's api_key only when it is created): look the user up in the provider's console before creating it again";

/**
 * Creates many users and reports every one, in input order: `created`, `exists`
 * (already there, so running twice creates nobody twice), `failed` (not created,
 * with its typed error) or `unknown` (may have been created; see `advice`). Uses
 * the provider's bulk endpoint where it has one. Never rejects because the
 * provider failed: every input gets an outcome.
 */
export async function createMany(
  adapter: ProviderAdapter,
  inputs: readonly NewUser[],
  options: CreateManyOptions = {},
): Promise<CreateManyResult> {
  const { concurrency = 4, ...requestOptions } = options;
  if (!Array.isArray(inputs)) throw new ValidationError(`${adapter.provider}: createMany takes an array of users`, { field: "inputs", provider: adapter.provider });
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
    throw new ValidationError(`${adapter.provider}: concurrency must be an integer from 1 to 64`, {
      field: "concurrency",
      provider: adapter.provider,
    });
  }
  const items: (CreateManyItem | undefined)[] = new Array(inputs.length);
  // 1. Validate every input once; a bad one fails alone.
  const firstOf = new Map<string, number>();
  const repeats: [number, number][] = [];
  const todo: number[] = [];
  inputs.forEach((input, index) => {
    try {
      validateNewUser(adapter.provider, adapter.capabilities, input);
    } catch (error) {
      items[index] = { index, input, status: "failed", error: asApiError(error, adapter.provider) };
      return;
    }
    const key = emailKey(input.email);
    const first = firstOf.get(key);
    if (first === undefined) {
      firstOf.set(key, index);
      todo.push(index);
    } else {
      repeats.push([index, first]);
    }
  });

  // 2. Who is there already. Without that answer nothing is sent: creating blindly could
  // duplicate a user on a provider that does not refuse a second one with the same email.
  let known: Map<string, User> | undefined;
  let toCreate: number[] = [];
  try {
    known = todo.length > 0 ? await usersByEmail(adapter, requestOptions) : undefined;
    for (const index of todo) {
      const input = inputs[index] as NewUser;
      const existing = known?.get(emailKey(input.email));
      if (existing) items[index] = { index, input, status: "exists", user: existing };
      else toCreate.push(index);
    }
  } catch (error) {
    const e = asApiError(error, adapter.provider);
    for (const index of todo) items[index] = { index, input: inputs[index] as NewUser, status: "failed", error: e, advice: NOT_CHECKED };
    toCreate = [];
  }

  // 3. Create the rest, then settle every outcome. A failure that may or may not have
  // created the user is checked against the provider: found → created; not there →
  // tried again, up to three rounds; no way to check → tried again, and `unknown` if
  // it still cannot be told.
  const createOne = async (index: number): Promise<Outcome> => {
    try {
      return { user: await adapter.create(inputs[index] as NewUser, requestOptions) };
    } catch (error) {
      return { error: asApiError(error, adapter.provider) };
    }
  };
  // Inputs whose earlier create may have happened unseen, with the error that lost its answer.
  const maybeCreated = new Map<number, EsignApiError>();
  let pending = toCreate;
  for (let round = 1; pending.length > 0; round++) {
    const outcomes = await attempt(adapter, pending, inputs, concurrency, createOne, requestOptions);
    const uncertain: number[] = [];
    for (const index of pending) {
      const input = inputs[index] as NewUser;
      const outcome = outcomes.get(index) as Outcome;
      if ("user" in outcome) items[index] = { index, input, status: "created", user: outcome.user };
      else if (adapter.isDuplicate(outcome.error) || mayHaveHappened(outcome.error)) uncertain.push(index);
      else items[index] = { index, input, status: "failed", error: outcome.error };
    }
    if (uncertain.length === 0) break;
    let checked: Map<string, User> | undefined;
    try {
      checked = await usersByEmail(adapter, requestOptions);
    } catch {
      checked = undefined;
    }
    const retry: number[] = [];
    for (const index of uncertain) {
      const input = inputs[index] as NewUser;
      const { error } = outcomes.get(index) as { error: EsignApiError };
      const found = checked?.get(emailKey(input.email));
      const duplicate = adapter.isDuplicate(error);
      if (found) {
        items[index] = duplicate ? { index, input, status: "exists", user: found } : { index, input, status: "created", user: found };
      } else if (duplicate) {
        // Refused as already there. After an earlier attempt whose answer was lost, that
        // attempt may be what created it: nothing here tells which.
        const lostBy = maybeCreated.get(index);
        items[index] = lostBy
          ? { index, input, status: "unknown", error: lostBy, advice: checked ? UNCHECKED_LIST : UNCHECKABLE }
          : { index, input, status: "exists" };
      } else if (checked || provesNotProcessed(error.status, error.headers)) {
        // Listed and not there, or refused before anything was done (429, 503 with Retry-After):
        // this create did not happen. Trying again cannot duplicate anyone.
        if (round < MAX_ROUNDS) retry.push(index);
        else items[index] = { index, input, status: "failed", error };
      } else {
        // No way to look (no list endpoint, or the list failed). Trying again is safe, because
        // providers refuse a second user with the same email; that refusal then cannot tell
        // whether the lost attempt created the user.
        if (!maybeCreated.has(index)) maybeCreated.set(index, error);
        if (round < MAX_ROUNDS) retry.push(index);
        else items[index] = { index, input, status: "unknown", error, advice: adapter.list ? UNCHECKED_LIST : UNCHECKABLE };
      }
    }
    pending = retry;
  }

  // 4. Repeats of an email within the input share the first one's fate.
  for (const [index, first] of repeats) {
    const input = inputs[index] as NewUser;
    const lead = items[first] as CreateManyItem;
    items[index] =
      lead.status === "failed" || lead.status === "unknown"
        ? { ...lead, index, input }
        : { index, input, status: "exists", user: lead.user };
  }

  const list = items as CreateManyItem[];
  return Object.assign(list, {
    created: list.filter((i) => i.status === "created").length,
    existing: list.filter((i) => i.status === "exists").length,
    failed: list.filter((i) => i.status === "failed").length,
    unknown: list.filter((i) => i.status === "unknown").length,
  });
}
