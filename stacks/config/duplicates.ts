import type { ConfigProblem } from "./errors";

/** Reports every element whose key was already used earlier in the list. */
export function duplicates<T>(items: readonly T[], key: (item: T) => string, path: (index: number) => string, what: string): ConfigProblem[] {
    const firstIndex = new Map<string, number>();
    const problems: ConfigProblem[] = [];
    items.forEach((item, index) => {
        const value = key(item);
        const normalised = value.toLowerCase();
        const first = firstIndex.get(normalised);
        if (first === undefined) {
            firstIndex.set(normalised, index);
        } else {
            problems.push({ path: path(index), value, message: `duplicates ${path(first)}; ${what} must be unique` });
        }
    });
    return problems;
}
