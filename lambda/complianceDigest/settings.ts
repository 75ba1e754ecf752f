/**
 * The contract between the ComplianceDigest component and its handler, pure and dependency-free
 * (the Lambda bundle and the Pulumi program both import it): the environment variables, the file
 * packaged next to the handler, and their defaults.
 */

/** Environment variables the component sets and the handler reads. */
export const DIGEST_ENV = {
    workgroup: "WORKGROUP",
    database: "DATABASE",
    topicArn: "TOPIC_ARN",
    environment: "ESTATE_ENVIRONMENT",
    queryTimeoutSeconds: "QUERY_TIMEOUT_SECONDS",
} as const;

/**
 * The SQL and the exceptions travel in a file of the deployment package, not in environment
 * variables: Lambda allows 4 KB of environment variables in total, and the two statements alone
 * are larger (Lambda quotas, "Environment variables").
 */
export const DIGEST_PACKAGE_FILE = "digest.json";

/** An exception that expires (issue 19 item 5), as the digest shows it a week before. */
export interface DigestException {
    readonly kind: "rejected-patch" | "excluded-node";
    readonly group: string;
    /** Patch id or name, or the node id (i-… / mi-…). */
    readonly id: string;
    /** Rejected patches: the baseline's operating system. */
    readonly os?: string;
    readonly reason?: string;
    /** YYYY-MM-DD, the last day (UTC) the exception holds. */
    readonly expires: string;
}

/** What {@link DIGEST_PACKAGE_FILE} holds. */
export interface DigestPackage {
    /** INSERT INTO patch_first_missing … (slaQueries.ts recordFirstMissingSql). */
    readonly recordSql: string;
    /** The digest query (slaQueries.ts complianceDigestQuery). */
    readonly digestSql: string;
    readonly exceptions: readonly DigestException[];
}

export const DIGEST_DEFAULTS = {
    /** Per query; the function's timeout leaves room for two queries and the publish. */
    queryTimeoutSeconds: 300,
    /** "Expiring soon": the exceptions shown, in days (issue 19 item 5: a week before expiry). */
    expiringWithinDays: 7,
    /** The digest query's "will breach within N days" (components/reporting/slaQueries.ts SLA_WARNING_DAYS; a test holds them equal). */
    slaWarningDays: 7,
    /** Lines of the per-account table in the message; the CSV has them all. */
    maxGroupLines: 50,
    /** SNS message attribute the subscribers' filter policies match ("immediate" alerts carry another value). */
    alertKind: "digest",
} as const;

export interface DigestSettings {
    readonly workgroup: string;
    readonly database: string;
    readonly topicArn: string;
    readonly environment: string;
    readonly queryTimeoutSeconds: number;
}

/** Reads the environment; a missing or malformed variable is an error naming it. */
export function readSettings(env: Readonly<Record<string, string | undefined>>): DigestSettings {
    const required = (name: string): string => {
        const value = env[name];
        if (value === undefined || value.trim() === "") {
            throw new Error(`environment variable ${name} is not set`);
        }
        return value;
    };
    const timeout = env[DIGEST_ENV.queryTimeoutSeconds] === undefined ? DIGEST_DEFAULTS.queryTimeoutSeconds : Number(env[DIGEST_ENV.queryTimeoutSeconds]);
    if (!Number.isInteger(timeout) || timeout < 1) {
        throw new Error(`environment variable ${DIGEST_ENV.queryTimeoutSeconds} "${env[DIGEST_ENV.queryTimeoutSeconds]}" is not a whole number of seconds`);
    }
    const topicArn = required(DIGEST_ENV.topicArn);
    if (!/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/.test(topicArn)) {
        throw new Error(`environment variable ${DIGEST_ENV.topicArn} "${topicArn}" is not an SNS topic ARN`);
    }
    return { workgroup: required(DIGEST_ENV.workgroup), database: required(DIGEST_ENV.database), topicArn, environment: required(DIGEST_ENV.environment), queryTimeoutSeconds: timeout };
}
