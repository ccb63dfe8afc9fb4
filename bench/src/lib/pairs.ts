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

/** Environment for child processes: nothing from the parent that changes how Node starts. */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  delete env.NODE_OPTIONS;
  return env;
}
