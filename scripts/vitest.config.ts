import { mergeConfig } from "vitest/config";
import shared from "../vitest.shared.ts";

/**
 * These tests mostly wait on child processes (tsc, tsup, npm pack, the CLIs), each
 * in its own temporary copy, so a second worker overlaps the waits: vitest's default
 * on a 2-core machine is one worker (CPUs − 1), which left one core idle while this
 * package, the last to start, ran alone.
 */
export default mergeConfig(shared, { test: { maxWorkers: 2 } });
