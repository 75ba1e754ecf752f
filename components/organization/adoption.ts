import { resolveSub, type CfnResource, type CfnTemplate } from "./cloudFormation";

/**
 * Moving an account from configured accounts to organization mode without losing its audit data
 * (issue 16): the log buckets, their policies and the log key are retained when Pulumi lets go of
 * the account, and their names are the ones the Regional template creates — so CloudFormation
 * must adopt them (a resource import), not create them. These builders give the import change
 * set's template and its `--resources-to-import`; the README's "Moving configured accounts into
 * organization mode" gives the order of the steps.
 */

/** One entry of CreateChangeSet `ResourcesToImport`. */
export interface ResourceToImport {
    readonly ResourceType: string;
    readonly LogicalResourceId: string;
    readonly ResourceIdentifier: Readonly<Record<string, string>>;
}

/**
 * The primary identifier CloudFormation imports each retained type by (resource type schemas'
 * `primaryIdentifier`): a bucket by name, a bucket policy by its bucket, an alias by name, a key
 * by key id (not derivable from the template: looked up with `aws kms describe-key --key-id
 * alias/patching-logs`).
 */
const IDENTIFIERS: Readonly<Record<string, (properties: Record<string, unknown>, keyId: string | undefined) => Record<string, unknown> | undefined>> = {
    "AWS::S3::Bucket": (p) => ({ BucketName: p.BucketName }),
    "AWS::S3::BucketPolicy": (p) => ({ Bucket: p.Bucket }),
    "AWS::KMS::Alias": (p) => ({ AliasName: p.AliasName }),
    "AWS::KMS::Key": (_p, keyId) => (keyId === undefined ? undefined : { KeyId: keyId }),
};

const retained = (resource: CfnResource) => resource.DeletionPolicy === "Retain";

/**
 * The template of the import change set: only the template's retained resources (an IMPORT change
 * set may not create anything, and every imported resource needs a DeletionPolicy), unchanged, so
 * the later StackSet update finds them exactly as it would have created them.
 */
export function adoptionTemplate(template: CfnTemplate): CfnTemplate {
    const resources = Object.fromEntries(Object.entries(template.Resources).filter(([, resource]) => retained(resource)));
    // Conditions and other sections stay out: the retained resources use none, and cfn-lint flags unused ones.
    return { AWSTemplateFormatVersion: template.AWSTemplateFormatVersion, Description: `${template.Description} (adoption of retained resources)`, Resources: resources };
}

/**
 * `ResourcesToImport` for one account and Region: identifiers with `${AWS::AccountId}` /
 * `${AWS::Region}` resolved, `Ref`s to other imported resources resolved to their physical names.
 * Throws when a retained resource's type has no known identifier, its identifier is not a name the
 * template spells out, or the template has a KMS key and no key id is given.
 */
export function resourcesToImport(template: CfnTemplate, at: { readonly accountId: string; readonly region: string; readonly logKeyId?: string }): ResourceToImport[] {
    const resources = adoptionTemplate(template).Resources;
    const physical = (value: unknown): unknown => {
        const resolved = resolveSub(value, at) as unknown;
        if (resolved !== null && typeof resolved === "object" && "Ref" in resolved) {
            const target = resources[String((resolved as { Ref: string }).Ref)];
            // Stryker disable next-line OptionalChaining: equivalent — CfnResource.Properties is required; `?.` only guards hand-written templates.
            return target === undefined ? resolved : physical(target.Properties?.BucketName);
        }
        return resolved;
    };
    return Object.entries(resources).map(([logicalId, resource]) => {
        const identify = IDENTIFIERS[resource.Type];
        if (identify === undefined) {
            throw new Error(`adoption: ${logicalId} is a retained ${resource.Type}, which has no import identifier here`);
        }
        const properties = Object.fromEntries(Object.entries(resource.Properties ?? {}).map(([key, value]) => [key, physical(value)]));
        const identifier = identify(properties, at.logKeyId);
        if (identifier === undefined) {
            throw new Error(`adoption: ${logicalId} is a KMS key; give its key id (aws kms describe-key --key-id alias/patching-logs --query KeyMetadata.KeyId)`);
        }
        // A name CloudFormation generates (no BucketName) or a Ref to a resource outside the import
        // is no physical id: importing "undefined" or "[object Object]" would fail in the change set.
        const unnamed = Object.entries(identifier).find(([, value]) => typeof value !== "string");
        if (unnamed !== undefined) {
            throw new Error(`adoption: ${logicalId} (${resource.Type}) has no ${unnamed[0]} the template names (${JSON.stringify(unnamed[1]) ?? "missing"}); only resources with explicit names can be adopted`);
        }
        return { ResourceType: resource.Type, LogicalResourceId: logicalId, ResourceIdentifier: identifier as Record<string, string> };
    });
}
