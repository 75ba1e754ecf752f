import { identityResources, type IdentityTemplateArgs } from "../identity/cfn";
import { baselineResources } from "../baselines/cfn";
import type { BaselinePatchGroup } from "../baselines/patchBaselines";
import { logBucketResources, LOG_BUCKET_IDS } from "../storage/cfn";
import { inventoryResources } from "../inventory/cfn";
import { runbookResources } from "../runbooks/cfn";
import { AUTOMATION_DOCUMENT_NAMES } from "../runbooks/patchAutomationDocuments";
import { configDeliveryBucketStatements, configDeliveryKeyStatement } from "../compliance/complianceDocuments";
import { LOCATION_NAMES, logBucketName } from "../../catalog/naming";
import type { BucketEncryption, ObjectLockSpec, RetentionSpec } from "../../catalog/s3";
import type { DeploymentRoleRef } from "../identity/boundaryDocuments";
import { ACCOUNT_ID_MARKER, REGION_MARKER, type CfnResources, type CfnTemplate } from "./cloudFormation";

/**
 * Everything the member-side templates need, as plain values (no Pulumi): what the stacks/ code
 * hands the components in configured-accounts mode, minus the account id and Region, which a
 * StackSet template cannot know (they are CloudFormation pseudo parameters there).
 */
export interface TemplateContext {
    readonly project: string;
    readonly environment: string;
    readonly patchGroupTagKey: string;
    readonly administrationRoleName: string;
    readonly administrationRoleArn: string;
    readonly executionRoleName: string;
    /** @default - none */
    readonly ebsKmsKeyArns?: readonly string[];
    /** Every Region the Regional template is deployed to (the node roles write to their log buckets). */
    readonly regions: readonly string[];
    /** Roles the boundary lets manage program resources (ProgramBoundaryScope.deploymentRoles). */
    readonly deploymentRoles: readonly DeploymentRoleRef[];
    /** The patch groups, `approveAfterDays` already resolved for the environment. */
    readonly patchGroups: readonly BaselinePatchGroup[];
    readonly logStorage: RetentionSpec & { readonly encryption: BucketEncryption; readonly objectLock?: ObjectLockSpec };
    readonly inventory: {
        readonly schedule: string;
        readonly maxConcurrency: string;
        readonly maxErrors: string;
        readonly dataSyncPrefix: string;
        /** The central Resource Data Sync bucket and its Region. */
        readonly dataSyncBucketName: string;
        readonly dataSyncBucketRegion: string;
        /** The central bucket's key when it is SSE-KMS. */
        readonly dataSyncKmsKeyArn?: string;
    };
    /**
     * The inventory-log bucket's folder for AWS Config deliveries when the program records Config
     * (compliance.configRecorder), as stacks/awsData.ts CONFIG_DELIVERY_PREFIX.
     * @default - no Config delivery statements
     */
    readonly configDeliveryPrefix?: string;
}

/** CreateStackSet / UpdateStackSet `TemplateBody`: at most 51,200 bytes (AWS-AZURE-FACTS.md). */
export const MAX_TEMPLATE_BODY_BYTES = 51_200;

/** Merges fragments; two fragments claiming one logical id is a bug, not an override. */
export function mergeResources(...fragments: readonly CfnResources[]): CfnResources {
    const merged: Record<string, CfnResources[string]> = {};
    for (const fragment of fragments) {
        for (const [id, resource] of Object.entries(fragment)) {
            if (id in merged) {
                throw new Error(`organization templates: logical id ${id} is produced twice; patch group names that differ only in punctuation collide in CloudFormation ids (letters and digits only)`);
            }
            merged[id] = resource;
        }
    }
    return merged;
}

export function identityArgs(ctx: TemplateContext): IdentityTemplateArgs {
    return {
        project: ctx.project,
        executionRoleName: ctx.executionRoleName,
        administrationRoleName: ctx.administrationRoleName,
        administrationRoleArn: ctx.administrationRoleArn,
        patchGroupTagKey: ctx.patchGroupTagKey,
        runbookNames: Object.values(AUTOMATION_DOCUMENT_NAMES),
        ...(ctx.ebsKmsKeyArns === undefined ? {} : { ebsKmsKeyArns: ctx.ebsKmsKeyArns }),
        regions: ctx.regions,
        ...(ctx.logStorage.encryption === "SSE-KMS" ? { logBucketKeyAlias: LOCATION_NAMES.logKeyAlias } : {}),
        deploymentRoles: ctx.deploymentRoles,
    };
}

/**
 * The account-wide template (one stack instance per account, in ONE Region: IAM is global):
 * the program permissions boundary, the Automation execution role, the managed-node instance
 * role + profile and log-writer policy, the hybrid role.
 */
export function accountTemplate(ctx: TemplateContext): CfnTemplate {
    return {
        AWSTemplateFormatVersion: "2010-09-09",
        Description: `multicloud-patching ${ctx.environment}: account-wide member roles (organization mode; one Region per account)`,
        Resources: identityResources(identityArgs(ctx)),
    };
}

/**
 * The Regional template (one stack instance per account × target Region): baselines registered
 * to their patch groups, resource groups, the two log buckets (retained), the inventory
 * association and Resource Data Sync, the patch runbooks.
 */
export function regionalTemplate(ctx: TemplateContext): CfnTemplate {
    const inventoryLogBucket = logBucketName("inventory", ACCOUNT_ID_MARKER, REGION_MARKER);
    const configDelivery =
        ctx.configDeliveryPrefix === undefined
            ? {}
            : {
                  extraBucketStatements: { inventory: configDeliveryBucketStatements(inventoryLogBucket, ctx.configDeliveryPrefix, ACCOUNT_ID_MARKER) },
                  extraKeyStatements: [configDeliveryKeyStatement(ACCOUNT_ID_MARKER)],
              };
    return {
        AWSTemplateFormatVersion: "2010-09-09",
        Description: `multicloud-patching ${ctx.environment}: Regional member resources (organization mode; every target Region)`,
        Resources: mergeResources(
            baselineResources({ patchGroups: ctx.patchGroups, patchGroupTagKey: ctx.patchGroupTagKey }),
            logBucketResources({
                retention: ctx.logStorage,
                encryption: ctx.logStorage.encryption,
                ...(ctx.logStorage.objectLock === undefined ? {} : { objectLock: ctx.logStorage.objectLock }),
                ...configDelivery,
            }),
            inventoryResources({
                schedule: ctx.inventory.schedule,
                maxConcurrency: ctx.inventory.maxConcurrency,
                maxErrors: ctx.inventory.maxErrors,
                logBucketId: LOG_BUCKET_IDS.bucket("inventory"),
                dataSync: {
                    bucketName: ctx.inventory.dataSyncBucketName,
                    bucketRegion: ctx.inventory.dataSyncBucketRegion,
                    prefix: ctx.inventory.dataSyncPrefix,
                    ...(ctx.inventory.dataSyncKmsKeyArn === undefined ? {} : { kmsKeyArn: ctx.inventory.dataSyncKmsKeyArn }),
                },
            }),
            runbookResources(ctx.patchGroupTagKey),
        ),
    };
}

/** The template as TemplateBody gets it: compact JSON (whitespace counts against the limit). */
export function templateBody(template: CfnTemplate): string {
    return JSON.stringify(template);
}

/** Bytes of the rendered body, and whether CreateStackSet must take it by TemplateURL instead. */
export function templateSize(template: CfnTemplate): { readonly bytes: number; readonly needsTemplateUrl: boolean } {
    const bytes = Buffer.byteLength(templateBody(template), "utf8");
    return { bytes, needsTemplateUrl: bytes > MAX_TEMPLATE_BODY_BYTES };
}
