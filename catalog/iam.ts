/**
 * IAM name grammars the config and the components both check (IAM API reference: `Tag.Key`,
 * CreateRole `Path`).
 */

/** IAM tag keys: 1-128 of letters, digits, spaces and _.:/=+-@ (IAM `Tag.Key`), not `aws:`-prefixed. */
export const IAM_TAG_KEY = /^(?![Aa][Ww][Ss]:)[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;

/**
 * IAM paths (`/` or `/seg/…/`, 1-512 of \u0021-\u007E, CreateRole `Path`), minus "/" itself and
 * minus `*` and `?`, which would act as wildcards in a role ARN a policy is scoped to.
 */
export const IAM_ROLE_SUBPATH = /^\/[\x21-\x29\x2B-\x3E\x40-\x7E]{1,510}\/$/;
