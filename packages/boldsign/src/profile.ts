import type { ProviderErrorParser, ProviderProfile } from "@esign-users/runtime";
import { operations as table } from "./generated/operations.js";
import type { components } from "./generated/schema.js";

export type BoldSignErrorBody = components["schemas"]["Error"];

/** `{ error: "…" }` on every error status; BoldSign sends no error codes. */
export const parseBoldSignError: ProviderErrorParser = (body) => {
  const message = (body as Partial<BoldSignErrorBody> | null)?.error;
  return typeof message === "string" ? { message } : undefined;
};

export const boldsignProfile: ProviderProfile<typeof table> = {
  provider: "boldsign",
  operations: table,
  parseError: parseBoldSignError,
  // No default rate limit: BoldSign counts requests per hour per account (2,000 in
  // production, 50 in sandbox mode), which spacing requests per second cannot
  // express without slowing every caller down; a 429 is retried or surfaced instead.
};
