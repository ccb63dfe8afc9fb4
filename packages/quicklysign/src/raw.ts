import type { OperationTable } from "@esign-users/runtime";
import type { Client } from "openapi-fetch";

const HTTP_METHODS = ["GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"] as const;

/**
 * One raw client over two engines: the operations in `publicOperations` (no token in
 * the spec) go through `publicClient`, everything else through `tokenClient`, so a
 * raw call carries the `access_token` header exactly where the API expects it.
 */
export function routeRaw<Paths extends object>(
  publicClient: Client<Paths>,
  tokenClient: Client<Paths>,
  operations: OperationTable,
  publicOperations: readonly string[],
): Client<Paths> {
  const routes = new Set(
    publicOperations.flatMap((id) => {
      const op = operations[id];
      return op ? [`${op.method.toUpperCase()} ${op.path}`] : [];
    }),
  );
  const pick = (method: string, path: string) => (routes.has(`${method.toUpperCase()} ${path}`) ? publicClient : tokenClient);
  type Call = (path: string, init?: unknown) => Promise<unknown>;
  const routed: Record<string, unknown> = {
    request: (method: string, path: string, init?: unknown) =>
      (pick(method, path).request as unknown as (m: string, p: string, i?: unknown) => Promise<unknown>)(method, path, init),
    use: (...middleware: Parameters<Client<Paths>["use"]>) => {
      publicClient.use(...middleware);
      tokenClient.use(...middleware);
    },
    eject: (...middleware: Parameters<Client<Paths>["eject"]>) => {
      publicClient.eject(...middleware);
      tokenClient.eject(...middleware);
    },
  };
  for (const method of HTTP_METHODS) {
    routed[method] = (path: string, init?: unknown) => (pick(method, path)[method] as unknown as Call)(path, init);
  }
  return routed as unknown as Client<Paths>;
}
