import { EMAIL_PATTERN, HTTPS_URL_PATTERN } from "../../catalog/sns";

/**
 * Argument checks shared by the components that take notification subscriptions, with the
 * endpoint patterns of catalog/sns.ts that the stack config validates with too.
 */

/** `field[i] "value" is not …` for malformed entries, `… duplicates field[j]` for repeats (case-insensitive). */
export function listProblems(field: string, values: readonly string[], valid: (value: string) => boolean, allowed: string): string[] {
    const seen = values.map((value) => value.toLowerCase());
    return values.flatMap((value, i) => {
        if (!valid(value)) {
            return [`${field}[${i}] "${value}" is not ${allowed}`];
        }
        const first = seen.indexOf(seen[i]);
        return first < i ? [`${field}[${i}] "${value}" duplicates ${field}[${first}]`] : [];
    });
}

/** The problems of both subscription lists. */
export function subscriptionProblems(emails: readonly string[], httpsEndpoints: readonly string[]): string[] {
    return [
        ...listProblems("emailSubscriptions", emails, (value) => EMAIL_PATTERN.test(value), "an e-mail address (name@domain.tld)"),
        ...listProblems("httpsSubscriptions", httpsEndpoints, (value) => HTTPS_URL_PATTERN.test(value), "an https:// URL"),
    ];
}
