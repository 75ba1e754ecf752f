/** Inventory association defaults and rules, pure so the config schema can share them. */

export const INVENTORY_DEFAULTS = {
    schedule: "rate(12 hours)",
    maxConcurrency: "10%",
    maxErrors: "10%",
    /** Folder of the association's own run output in the inventory-log bucket. */
    outputPrefix: "inventory-association",
} as const;

const ASSOCIATION_RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;

/** Problems with a State Manager rate expression (empty = valid). */
export function associationScheduleProblems(expression: string): string[] {
    const match = ASSOCIATION_RATE.exec(expression);
    if (match === null) {
        return ["is not a rate expression (rate(<n> minutes|hours|days))"];
    }
    const value = Number(match[1]);
    const unit = match[2].replace(/s$/, "");
    if (value < 1 || (value === 1) !== (match[2] === unit)) {
        return [`must say "${Math.max(value, 1)} ${value <= 1 ? unit : unit + "s"}" (singular only for 1)`];
    }
    if (unit === "minute" && value < 30) {
        return ["runs more often than every 30 minutes, the State Manager minimum"];
    }
    return [];
}
