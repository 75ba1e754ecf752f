import { dataSyncBucketPolicyBytes } from "../components/storage/storageDocuments";
import { MAX_BUCKET_POLICY_BYTES } from "../catalog/s3";
import { dataSyncWriters } from "./awsData";
import { ConfigError, type ConfigProblem } from "./config/errors";
import type { Estate } from "./config/estateModel";

/**
 * Checks that need a component's own builder to answer, run over the validated estate before any
 * resource exists, so a problem is one config error and never a half-built plan. The config
 * validator cannot make them itself: it stands on catalog/ facts and never imports components/.
 */
export function preflightProblems(estate: Estate): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    if (estate.organization !== undefined && estate.inventory.bucketAccess !== "organization") {
        // Accounts the StackSets enrol are not listed in the stack: an accounts-only bucket policy
        // would refuse their Resource Data Syncs.
        problems.push({
            path: "inventory.bucketAccess",
            value: estate.inventory.bucketAccess,
            message: 'must be "organization" in organization mode; accounts enrolled by the StackSets are not listed in the stack, so an accounts-only bucket policy would refuse their inventory',
        });
    }
    const writers = dataSyncWriters(estate);
    if (writers.kind === "accounts") {
        const bytes = dataSyncBucketPolicyBytes(estate.central.account.id, estate.central.region, estate.inventory.dataSyncPrefix, writers);
        if (bytes > MAX_BUCKET_POLICY_BYTES) {
            problems.push({
                path: "inventory.bucketAccess",
                value: "accounts",
                message: `would give the central bucket a ${bytes}-byte policy for ${writers.accountIds.length} member accounts, over S3's ${MAX_BUCKET_POLICY_BYTES}-byte limit; use "organization" (with organizationId)`,
            });
        }
    }
    return problems;
}

/** Throws one {@link ConfigError} listing every preflight problem. */
export function assertPreflight(estate: Estate): void {
    const problems = preflightProblems(estate);
    if (problems.length > 0) {
        throw new ConfigError(problems);
    }
}
