import { createHash } from "node:crypto";
import { policy, type PolicyDocument } from "../identity/iamDocuments";
import { ARTIFACT_PREFIXES } from "../../catalog/naming";

/**
 * Organization mode (issue 16): what the central account's artifact buckets hold and who may read
 * it. Pure, so the keys and the policy are tested without the Pulumi runtime.
 */

/** A template given by TemplateURL may be up to 1 MB (CreateStackSet / CreateStack API references). */
export const MAX_TEMPLATE_URL_BYTES = 1_048_576;

/** The artifacts are text; hashed as their UTF-8 bytes (what is uploaded). */
// Stryker disable next-line StringLiteral: equivalent — Hash.update reads a string with an empty encoding as utf8, the default.
const CONTENT_ENCODING = "utf8";

/** 16 hex digits of SHA-256: a changed artifact is a new key, so a StackSet or function update always sees new content. */
export function contentHash(content: string): string {
    return createHash("sha256").update(content, CONTENT_ENCODING).digest("hex").slice(0, 16);
}

/** A member-side template's object key (CreateStackSet `TemplateURL`). */
export function templateObjectKey(stackSetName: string, body: string): string {
    return `${ARTIFACT_PREFIXES.templates}/${stackSetName}-${contentHash(body)}.json`;
}

/** The enforcer Lambda's deployment package key (CreateFunction `Code.S3Key`). */
export function enforcerCodeKey(bundledCode: string): string {
    return `${ARTIFACT_PREFIXES.enforcerCode}/${contentHash(bundledCode)}.zip`;
}

/**
 * The `TemplateURL` CloudFormation takes: an https URL of an S3 object (CreateStackSet API
 * reference: "The location of the file that contains the template body. The URL must point to a
 * template (maximum size: 1 MB) that's located in an Amazon S3 bucket"). The Regional
 * virtual-hosted form works for every Region, including opt-in ones.
 */
export function templateUrl(bucketName: string, region: string, key: string): string {
    return `https://${bucketName}.s3.${region}.amazonaws.com/${key}`;
}

/**
 * Only the Lambda packages are readable outside the central account, and only by principals of
 * the organization: CloudFormation in a member account creates the function under that
 * account's StackSets execution role, and CreateFunction reads `Code.S3Bucket`/`S3Key` with the
 * caller's permissions (Lambda developer guide, "Deploying .zip file archives": the bucket must be
 * in the function's Region, and a bucket in another account needs a policy granting the caller
 * s3:GetObject). `aws:PrincipalOrgID` is one of the keys that keep a `Principal: "*"` policy
 * non-public for Block Public Access (S3 user guide, "The meaning of public"), so the bucket keeps
 * all four blocks on. Templates stay private: only the central account's deployer reads them
 * (CreateStackSet runs in that account).
 */
export function artifactReadPolicy(bucketName: string, organizationId: string): PolicyDocument {
    return policy({
        Sid: "OrganizationReadsLambdaPackages",
        Effect: "Allow",
        Principal: { AWS: "*" },
        Action: "s3:GetObject",
        Resource: `arn:aws:s3:::${bucketName}/${ARTIFACT_PREFIXES.enforcerCode}/*`,
        Condition: { StringEquals: { "aws:PrincipalOrgID": organizationId } },
    });
}
