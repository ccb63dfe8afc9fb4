#!/usr/bin/env node
// The command npm links when @esign-users/sandbox is installed. It exists before any
// build, so `npx esign-users-sandbox` works right after `npm ci` in the repository:
// there it runs the sources through tsx (always current); an installed package has
// no sources and runs its built dist/cli.js.
import { existsSync } from "node:fs";

const sources = new URL("../src/cli.ts", import.meta.url);
let cli;
if (existsSync(sources)) {
  const { register } = await import("tsx/esm/api");
  register();
  cli = await import(sources.href);
} else {
  cli = await import(new URL("../dist/cli.js", import.meta.url).href);
}
const code = await cli.main(process.argv.slice(2));
if (code !== undefined) process.exit(code);
