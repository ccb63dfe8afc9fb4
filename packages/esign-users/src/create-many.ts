import { EsignApiError, isRetryableStatus, type RequestOptions, ValidationError } from "@esign-users/runtime";
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

/**
 * Creates many users and reports every one: `created`, `exists` (already there,
 * so running twice creates nobody twice) or `failed` with its typed error, in
 * input order. Uses the provider's bulk endpoint where it has one.
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

  // 2. Who is there already.
  let known = todo.length > 0 ? await usersByEmail(adapter, requestOptions) : undefined;
  const toCreate: number[] = [];
  for (const index of todo) {
    const input = inputs[index] as NewUser;
    const existing = known?.get(emailKey(input.email));
    if (existing) items[index] = { index, input, status: "exists", user: existing };
    else toCreate.push(index);
  }

  // 3. Create the rest, then settle every outcome. A failure that may or may not have
  // created the user is checked against the provider: found → created; otherwise
  // tried again, up to three rounds.
  const createOne = async (index: number): Promise<Outcome> => {
    try {
      return { user: await adapter.create(inputs[index] as NewUser, requestOptions) };
    } catch (error) {
      return { error: asApiError(error, adapter.provider) };
    }
  };
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
    try {
      known = await usersByEmail(adapter, requestOptions);
    } catch {
      known = undefined;
    }
    const retry: number[] = [];
    for (const index of uncertain) {
      const input = inputs[index] as NewUser;
      const { error } = outcomes.get(index) as { error: EsignApiError };
      const found = known?.get(emailKey(input.email));
      if (adapter.isDuplicate(error)) items[index] = { index, input, status: "exists", user: found };
      else if (found) items[index] = { index, input, status: "created", user: found };
      // Not found, or no way to look (no list endpoint, or the list failed): trying
      // again cannot duplicate anyone, because every provider refuses a second user
      // with the same email — a refusal then reads as "exists".
      else if (round < MAX_ROUNDS) retry.push(index);
      else items[index] = { index, input, status: "failed", error };
    }
    pending = retry;
  }

  // 5. Repeats of an email within the input share the first one's fate.
  for (const [index, first] of repeats) {
    const input = inputs[index] as NewUser;
    const lead = items[first] as CreateManyItem;
    items[index] =
      lead.status === "failed"
        ? { index, input, status: "failed", error: lead.error }
        : { index, input, status: "exists", user: lead.user };
  }

  const list = items as CreateManyItem[];
  return Object.assign(list, {
    created: list.filter((i) => i.status === "created").length,
    existing: list.filter((i) => i.status === "exists").length,
    failed: list.filter((i) => i.status === "failed").length,
  });
}
