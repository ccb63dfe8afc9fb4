import { accessSync, constants, existsSync } from "node:fs";
import { delimiter, join } from "node:path";

export interface FoundChromium {
  executablePath: string;
  /** Where it came from, for messages. */
  source: "CHROMIUM_PATH" | "PATH" | "@sparticuz/chromium";
}

const NAMES = ["chromium", "chromium-browser", "google-chrome-stable", "google-chrome"];

const isExecutable = (file: string) => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** The first Chromium on `path` (a PATH value), if any. */
export function chromiumOnPath(path: string | undefined): string | undefined {
  for (const dir of (path ?? "").split(delimiter).filter(Boolean)) {
    for (const name of NAMES) {
      const file = join(dir, name);
      if (isExecutable(file)) return file;
    }
  }
  return undefined;
}

/**
 * The browser the test drives: `CHROMIUM_PATH` when set, else a Chromium on PATH,
 * else the one inside the @sparticuz/chromium devDependency (unpacked into /tmp on
 * first use, about 3 s), so `npm ci && npm test` needs nothing installed by hand.
 * Playwright's own browser downloads are not reachable from here.
 */
export async function findChromium(env: NodeJS.ProcessEnv = process.env): Promise<FoundChromium> {
  if (env.CHROMIUM_PATH) {
    if (!existsSync(env.CHROMIUM_PATH)) throw new Error(`CHROMIUM_PATH=${env.CHROMIUM_PATH} does not exist; unset it to use the bundled Chromium`);
    return { executablePath: env.CHROMIUM_PATH, source: "CHROMIUM_PATH" };
  }
  const onPath = chromiumOnPath(env.PATH);
  if (onPath) return { executablePath: onPath, source: "PATH" };
  const { default: bundled } = await import("@sparticuz/chromium");
  return { executablePath: await bundled.executablePath(), source: "@sparticuz/chromium" };
}
