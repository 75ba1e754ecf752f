/**
 * Answers for the provider functions (invokes) the program calls, keyed by token. The mock
 * runtime throws on any token not listed here, so a new invoke in the program cannot silently
 * return nothing in tests or in the offline plan.
 */
export type InvokeHandler = (inputs: Record<string, unknown>, provider: { accountId?: string; region?: string }) => Record<string, unknown>;

export const PROGRAM_INVOKES: Record<string, InvokeHandler> = {};
