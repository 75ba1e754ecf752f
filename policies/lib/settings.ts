/**
 * A policy's knobs: the CLI fills configSchema defaults before it configures the pack, but a pack
 * run without any config (or by an older CLI) gets `{}`, so each policy also applies its own
 * defaults — the same constants its configSchema advertises.
 */
export function settings<T extends object>(args: { getConfig<C extends object>(): C }, defaults: T): T {
    const configured = args.getConfig<Partial<T>>();
    const merged: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
    for (const [key, value] of Object.entries(configured ?? {})) {
        if (value !== undefined && key in defaults) {
            merged[key] = value;
        }
    }
    return merged as T;
}
