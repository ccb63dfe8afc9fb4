// The page under test: what a browser app does with the facade. Its settings come
// from the query string so the bundle needs no build-time configuration.
import { createUserDirectory, EsignApiError } from "esign-users";

const params = new URLSearchParams(location.search);
const list = document.querySelector<HTMLUListElement>("#users")!;
const status = document.querySelector<HTMLParagraphElement>("#status")!;

async function show(): Promise<void> {
  const dir = createUserDirectory({
    provider: "signable",
    apiKey: params.get("apiKey") ?? "",
    baseUrl: params.get("baseUrl") ?? "",
    maxRetries: 0,
  });
  let count = 0;
  for await (const user of dir.list()) {
    const item = document.createElement("li");
    item.textContent = `${user.name} <${user.email}> ${user.status}`;
    list.append(item);
    count++;
  }
  status.textContent = `${count} users from ${dir.provider}`;
}

show()
  .catch((error: unknown) => {
    const label = error instanceof EsignApiError ? `${error.name} ${error.status ?? ""}` : String(error);
    status.textContent = `failed: ${label}: ${(error as Error).message}`;
  })
  .finally(() => {
    document.body.dataset.state = "done";
  });
