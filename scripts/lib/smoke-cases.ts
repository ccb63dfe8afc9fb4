/**
 * How release:verify exercises each provider package once installed from a
 * registry: the sandbox to start, the client factory, and a few lines calling it.
 * The same lines run as ESM, as CommonJS and as TypeScript, so they use only
 * `client`, `sandbox` ({ url, credentials }), `tag` (unique per run, for unique emails)
 * and `await`, and `return` a value to print.
 */
export interface SmokeCase {
  /** `esign-users-sandbox --provider <sandbox>`. */
  sandbox: string;
  /** The export that builds a client. */
  factory: string;
  /** Client options, as an expression over `sandbox`. */
  options: string;
  /** Statements calling `client`, ending in `return <something printable>`. */
  body: string;
  /** The facade's provider name, when `createUserDirectory` knows this provider. */
  facadeProvider: string;
}

/** Keyed by package folder under packages/. A built provider without a case fails release:verify. */
export const smokeCases: Record<string, SmokeCase> = {
  signable: {
    sandbox: "signable",
    factory: "createSignableClient",
    options: "{ apiKey: sandbox.credentials.apiKey, baseUrl: sandbox.url }",
    body: `const created = await client.users.create({ user_name: "Smoke Test", user_email: \`smoke-\${tag}@example.com\` });
const user = await client.users.get({ user_id: created.user_id });
return user.user_email;`,
    facadeProvider: "signable",
  },
  boldsign: {
    sandbox: "boldsign",
    factory: "createBoldSignClient",
    options: "{ apiKey: sandbox.credentials.apiKey, baseUrl: sandbox.url }",
    body: `let count = 0;
for await (const user of client.users.list()) if (user) count++;
return \`\${count} users\`;`,
    facadeProvider: "boldsign",
  },
  docusign: {
    sandbox: "docusign",
    factory: "createDocuSignClient",
    options: "{ accessToken: sandbox.credentials.accessToken, accountId: sandbox.credentials.accountId, baseUrl: sandbox.url }",
    body: `let count = 0;
for await (const user of client.users.list()) if (user) count++;
return \`\${count} users\`;`,
    facadeProvider: "docusign",
  },
  quicklysign: {
    sandbox: "quicklysign",
    factory: "createQuicklySignClient",
    options: "{ clientId: sandbox.credentials.clientId, clientSecret: sandbox.credentials.clientSecret, baseUrl: sandbox.url }",
    body: `const created = await client.users.create({ user: { name: "Smoke", last_name: "Test", email_address: \`smoke-\${tag}@example.com\` } });
return created.email_address;`,
    facadeProvider: "quicklysign",
  },
};

/**
 * The facade's smoke, over each provider: `client` is `createUserDirectory({ provider, ...options })`.
 * Creating is what every provider supports with the sandbox's default credentials.
 */
export const facadeBody = `const created = await client.create({ email: \`facade-\${tag}@example.com\`, firstName: "Facade", lastName: "Smoke" });
return \`\${client.provider}: \${created.email}\`;`;
