import type { OperationTable, ProviderErrorParser, ProviderProfile } from "@esign-users/runtime";

/** DocuSign's developer environment. Production accounts each have their own base URI (see README). */
export const DOCUSIGN_DEMO_BASE_URL = "https://demo.docusign.net/restapi";

/** `{errorCode, message}`: DocuSign's one error body, also found on failed entries of bulk answers. */
export interface DocuSignErrorBody {
  errorCode?: string;
  message?: string;
}

export const parseDocuSignError: ProviderErrorParser = (body) => {
  const b = body as DocuSignErrorBody | undefined;
  if (typeof b?.errorCode !== "string" && typeof b?.message !== "string") return undefined;
  return { code: b.errorCode, message: b.message };
};

/**
 * What the runtime needs to know about DocuSign, for one API version's table.
 * No default rate limit: DocuSign counts calls per account and hour (3,000 by
 * default), which a per-second limiter in one process cannot model; 429s are
 * retried instead.
 */
export function createDocuSignProfile<Ops extends OperationTable>(operations: Ops): ProviderProfile<Ops> {
  return {
    provider: "docusign",
    operations,
    parseError: parseDocuSignError,
    // DocuSign support asks for this trace token when investigating a request.
    requestIdHeaders: ["x-docusign-tracetoken"],
  };
}
