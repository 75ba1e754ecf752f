/** IAM policy size limits (IAM quotas: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html). */

/** IAM's managed-policy size: characters without whitespace (reference_iam-quotas.html). */
export const MANAGED_POLICY_MAX_CHARACTERS = 6144;

export function policyCharacters(document: unknown): number {
    return JSON.stringify(document).replace(/\s/g, "").length;
}
