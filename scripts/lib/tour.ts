/**
 * The tour `npm start` runs: every provider's sandbox started in this process, and
 * the same create → get → list → update → remove walk through each client.
 */
import { createSignableClient } from "@esign-users/signable";
import { startSandbox } from "@esign-users/sandbox";
import { printTable } from "./table.ts";

export interface TourStep {
  name: string;
  run(): Promise<string>;
}

export interface TourEntry {
  label: string;
  /** Starts the sandbox and returns the steps plus a function that stops it. */
  prepare(): Promise<{ steps: TourStep[]; close(): Promise<void> }>;
}

const signableTour: TourEntry = {
  label: "Signable",
  async prepare() {
    const sb = await startSandbox({ provider: "signable" });
    const client = createSignableClient({ apiKey: sb.credentials.apiKey, baseUrl: sb.url });
    let id: number | string = 0;
    const email = `ada.${Date.now()}@example.com`;
    return {
      close: () => sb.close(),
      steps: [
        {
          name: "create",
          async run() {
            const user = await client.users.create({ user_name: "Ada Lovelace", user_email: email });
            id = user.user_id;
            return `user ${id}`;
          },
        },
        {
          name: "get",
          async run() {
            const user = await client.users.get({ user_id: id });
            if (user.user_email !== email) throw new Error(`got ${user.user_email}`);
            return user.user_email;
          },
        },
        {
          name: "list",
          async run() {
            const all = await client.users.list().toArray();
            if (!all.some((u) => String(u.user_id) === String(id))) throw new Error("created user not listed");
            return `${all.length} user(s)`;
          },
        },
        {
          name: "update",
          async run() {
            const user = await client.users.update({ user_id: id, user_name: "Augusta Ada King" });
            if (user.user_name !== "Augusta Ada King") throw new Error(`name is ${user.user_name}`);
            return user.user_name;
          },
        },
        {
          name: "remove",
          async run() {
            await client.users.delete({ user_id: id });
            return "deleted";
          },
        },
      ],
    };
  },
};

export const tourEntries: TourEntry[] = [signableTour];

export async function runTour(entries: TourEntry[] = tourEntries): Promise<boolean> {
  console.log("\nManaging users on the sandboxes (127.0.0.1):");
  const rows: string[][] = [];
  let allOk = true;
  for (const entry of entries) {
    const started = performance.now();
    const done: string[] = [];
    let failure: string | undefined;
    const { steps, close } = await entry.prepare();
    try {
      for (const step of steps) {
        try {
          const detail = await step.run();
          done.push(step.name);
          console.log(`  ${entry.label.padEnd(16)} ${step.name.padEnd(7)} ok    ${detail}`);
        } catch (error) {
          failure = `${step.name}: ${(error as Error).message}`;
          console.log(`  ${entry.label.padEnd(16)} ${step.name.padEnd(7)} FAIL  ${(error as Error).message}`);
          break;
        }
      }
    } finally {
      await close();
    }
    allOk &&= failure === undefined;
    const ms = Math.round(performance.now() - started);
    rows.push([entry.label, done.join(" → ") || "-", failure ? `FAIL (${failure})` : "pass", `${ms} ms`]);
  }
  console.log("");
  printTable(["provider", "operations", "result", "time"], rows);
  console.log(allOk ? "\nAll providers passed." : "\nSome providers failed.");
  return allOk;
}
