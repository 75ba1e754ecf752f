/**
 * KMS key ARNs (not alias ARNs: kms:CreateGrant is authorized on the key itself, so a policy naming
 * an alias grants nothing): `key/<uuid>`, or `key/mrk-<32 hex>` for a multi-Region key. Group 1 is
 * the Region.
 */
export const KMS_KEY_ARN_PATTERN = /^arn:aws:kms:([a-z0-9-]+):\d{12}:key\/(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/;

/** A KMS alias ARN, which must not stand where a key ARN is needed. */
export const KMS_ALIAS_ARN_PATTERN = /^arn:aws:kms:[^:]*:\d{12}:alias\//;
