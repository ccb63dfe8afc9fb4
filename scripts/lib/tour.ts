/**
 * The tour `npm start` runs: every provider's sandbox started in this process, and
 * one script — written once, against the facade — managing users on each of them.
 */
import { providerNames, type Sandbox, startSandbox } from "@esign-users/sandbox";
import { createUserDirectory, type DirectoryOptions, providers, type UserDirectory } from "esign-users";
import { printTable } from "./table.ts";

interface TourTarget {
  label: string;
  start(): Promise<{ dir: UserDirectory; sb: Sandbox<object> }>;
}

type SandboxName = (typeof providerNames)[number];

/** The facade provider a sandbox serves: its name without an API version (`docusign-v2` is DocuSign). */
const facadeProvider = (sandbox: SandboxName) => sandbox.replace(/-v[0-9.]+$/, "");

/**
 * One stop per sandbox whose provider the facade knows, read from the two registries
 * (the sandbox's providers, the facade's adapters): a provider registered in both is
 * toured with nothing added here. Every sandbox hands out working client options.
 */
export const tourTargets: TourTarget[] = providerNames
  .filter((name) => (providers as readonly string[]).includes(facadeProvider(name)))
  .map((name) => ({
    label: name,
    async start() {
      const sb = (await startSandbox({ provider: name })) as unknown as Sandbox<object>;
      const options = { provider: facadeProvider(name), ...sb.credentials, baseUrl: sb.url } as DirectoryOptions;
      return { sb, dir: createUserDirectory(options) };
    },
  }));

type Step = { name: string; run(): Promise<string> } | { name: string; skip: string };

/** The walk, the same for every provider; what a provider cannot do is skipped, as its capabilities say. */
function walk(dir: UserDirectory): Step[] {
  const email = `ada.${Date.now().toString(36)}@example.com`;
  let id = "";
  const caps = dir.capabilities;
  // Where only the authenticated user is reachable, get and update work on that user.
  const target = () => (caps.get.scope === "any user" ? id : "self");
  return [
    {
      name: "create",
      async run() {
        const user = await dir.create({ email, firstName: "Ada", lastName: "Lovelace" });
        id = user.id;
        return `${user.name} <${user.email}> ${user.status}`;
      },
    },
    {
      name: "get",
      async run() {
        const user = await dir.get(target());
        if (target() === id && user.email !== email) throw new Error(`got ${user.email}, expected ${email}`);
        return `${user.id} ${user.email} ${user.status}${target() === id ? "" : " (the authenticated user)"}`;
      },
    },
    caps.list.supported
      ? {
          name: "list",
          async run() {
            const users = await dir.list({ search: "ada." }).toArray();
            if (!users.some((u) => u.id === id)) throw new Error("the new user is not listed");
            return `${users.length} match(es) for "ada."`;
          },
        }
      : { name: "list", skip: caps.list.meaning },
    caps.update.supported
      ? {
      name: "update",
      async run() {
        // Change what this provider lets a directory change: the name where it can, else the role.
        const patch = caps.update.fields.includes("firstName")
          ? { firstName: "Augusta Ada" }
          : caps.update.fields.includes("role")
            ? { role: "admin" as const }
            : { email: `augusta.${Date.now().toString(36)}@example.com` };
        const user = await dir.update(target(), patch);
        for (const [field, value] of Object.entries(patch)) {
          if (user[field as keyof typeof user] !== value) throw new Error(`${field} is ${String(user[field as keyof typeof user])}`);
        }
        return Object.entries(patch)
          .map(([k, v]) => `${k} → ${v}`)
          .join(", ");
      },
    }
      : { name: "update", skip: caps.update.meaning },
    caps.remove.supported
      ? {
          name: "remove",
          async run() {
            await dir.remove(id);
            return caps.remove.meaning;
          },
        }
      : { name: "remove", skip: caps.remove.meaning },
  ];
}

export async function runTour(targets: TourTarget[] = tourTargets): Promise<boolean> {
  console.log("\nManaging users on the sandboxes (127.0.0.1), one script through the esign-users facade:");
  const rows: string[][] = [];
  let allOk = true;
  for (const target of targets) {
    const started = performance.now();
    const done: string[] = [];
    let failure: string | undefined;
    const { dir, sb } = await target.start();
    try {
      for (const step of walk(dir)) {
        if ("skip" in step) {
          done.push(`(${step.name})`);
          console.log(`  ${target.label.padEnd(16)} ${step.name.padEnd(7)} n/a   ${step.skip}`);
          continue;
        }
        try {
          const detail = await step.run();
          done.push(step.name);
          console.log(`  ${target.label.padEnd(16)} ${step.name.padEnd(7)} ok    ${detail}`);
        } catch (error) {
          failure = `${step.name}: ${(error as Error).message}`;
          console.log(`  ${target.label.padEnd(16)} ${step.name.padEnd(7)} FAIL  ${(error as Error).message}`);
          break;
        }
      }
    } finally {
      await sb.close();
    }
    allOk &&= failure === undefined;
    const ms = Math.round(performance.now() - started);
    rows.push([target.label, done.join(" → "), failure ? `FAIL (${failure})` : "pass", `${ms} ms`]);
  }
  console.log("");
  printTable(["provider", "operations", "result", "time"], rows);
  console.log(
    allOk
      ? "\nAll providers passed. (Operations in parentheses are ones the provider does not have.)"
      : "\nSome providers failed.",
  );
  return allOk;
}
