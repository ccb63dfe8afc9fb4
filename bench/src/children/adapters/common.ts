import type { Connection, Impl, Operation } from "../protocol.ts";

/**
 * The same three calls through each client. Every call checks what came back, so a
 * client that got an error, an empty page or a refused user counts as a failure
 * rather than as a fast request.
 */
export type Adapter = Record<Operation, (i: number) => Promise<void>>;
export type AdapterFactory = (connection: Connection) => Adapter;

export function expect(condition: boolean, what: string): void {
  if (!condition) throw new Error(what);
}

let created = 0;
/** A new address for every user created, across rounds and processes. */
export const newEmail = (impl: Impl) => `bench-${impl}-${process.pid}-${++created}@example.com`;

export const pick = (ids: string[], i: number) => ids[i % ids.length] as string;
