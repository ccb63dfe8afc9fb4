#!/usr/bin/env node
import { parseArgs } from "node:util";
import { type ProviderName, providerNames, startSandbox } from "./index.js";
import type { Sandbox } from "./server.js";

const usage = `Usage: esign-users-sandbox --provider <${providerNames.join("|")}|all> [--port <n>] [--host <addr>] [--idle-minutes <n>]

Starts local servers that behave like the providers' user APIs and prints one URL
per provider. With --provider all, providers get consecutive ports from --port
(or free ports when --port is 0). Stops on Ctrl-C, or by itself after
--idle-minutes without a request (default 30; 0 never).`;

const { values } = parseArgs({
  options: {
    provider: { type: "string", short: "p", default: "all" },
    port: { type: "string", default: "0" },
    host: { type: "string", default: "127.0.0.1" },
    "idle-minutes": { type: "string", default: "30" },
    help: { type: "boolean", short: "h" },
  },
});

if (values.help) {
  console.log(usage);
  process.exit(0);
}

const wanted = values.provider === "all" ? providerNames : [values.provider as ProviderName];
const unknown = wanted.filter((p) => !providerNames.includes(p));
const port = Number(values.port);
const idleMinutes = Number(values["idle-minutes"]);
if (unknown.length > 0 || !Number.isInteger(port) || port < 0 || port > 65535 || !(idleMinutes >= 0)) {
  console.error(unknown.length > 0 ? `Unknown provider: ${unknown.join(", ")}` : "Invalid --port or --idle-minutes");
  console.error(usage);
  process.exit(2);
}

const started: Sandbox<object>[] = [];
const stopAll = async () => {
  await Promise.all(started.map((s) => s.close()));
};

async function main(): Promise<void> {
  try {
    for (const [i, provider] of wanted.entries()) {
      const sb = await startSandbox({
        provider,
        port: port === 0 ? 0 : port + i,
        host: values.host,
        idleTimeoutMs: idleMinutes > 0 ? idleMinutes * 60_000 : undefined,
      });
      started.push(sb);
      console.log(`${provider.padEnd(12)} ${sb.url}   credentials: ${JSON.stringify(sb.credentials)}`);
    }
  } catch (error) {
    console.error(`Could not start the sandbox: ${(error as Error).message}`);
    await stopAll();
    process.exit(1);
  }
}

void main();

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    void stopAll().then(() => process.exit(0));
  });
}
