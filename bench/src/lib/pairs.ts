/** The packages compared: ours against the provider's official Node SDK. */
export interface Pair {
  provider: "docusign" | "boldsign";
  label: string;
  ours: string;
  theirs: string;
}

export const PAIRS: readonly Pair[] = [
  { provider: "docusign", label: "DocuSign", ours: "@esign-users/docusign", theirs: "docusign-esign" },
  { provider: "boldsign", label: "BoldSign", ours: "@esign-users/boldsign", theirs: "boldsign" },
];

/** Packages compared only where no request is made: what loading and installing them costs. */
export type LoadPair = Pick<Pair, "label" | "ours" | "theirs">;

/**
 * The request-level measures (first call, throughput, memory, bundles) need a client
 * script per side; cold start and install footprint need only the package names, so
 * every provider with an official Node SDK is measured there.
 */
export const LOAD_PAIRS: readonly LoadPair[] = [
  ...PAIRS,
  { label: "Dropbox Sign", ours: "@esign-users/dropboxsign", theirs: "@dropbox/sign" },
];

/** Environment for child processes: nothing from the parent that changes how Node starts. */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  delete env.NODE_OPTIONS;
  return env;
}
