// size-limit's configuration, built from packages/* by scripts/lib/size-checks.ts
// (budgets in .size-limit.budgets.json). Run it with `npm run size`, which loads tsx.
import { sizeLimitConfig } from "./scripts/lib/size-checks.ts";

export default sizeLimitConfig();
