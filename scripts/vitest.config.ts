import { mergeConfig } from "vitest/config";
import shared from "../vitest.shared.ts";

/**
 * These tests mostly wait on child processes (tsc, tsup, npm pack, the CLIs), each
 * in its own temporary copy, so a second worker overlaps the waits: vitest's default
 * on a 2-core machine is one worker (CPUs − 1), which left one core idle while this
 * package, the last to start, ran alone.
 *
 * A test runs several such processes one after another, each bounded by its own spawn
 * timeout, and takes 15–30 s when `npm test` keeps both cores busy: the shared 30 s
 * limit failed "regenerates only the spec that changed" once at 30.7 s. Three minutes
 * still ends a test that hangs.
 */
export default mergeConfig(shared, { test: { maxWorkers: 2, testTimeout: 180_000, hookTimeout: 180_000 } });
