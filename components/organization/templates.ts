import { identityResources, type IdentityTemplateArgs } from "../identity/cfn";
import { baselineResources } from "../baselines/cfn";
import type { BaselinePatchGroup } from "../baselines/patchBaselines";
import { logBucketResources, LOG_BUCKET_IDS } from "../storage/cfn";
import { inventoryResources } from "../inventory/cfn";
import { runbookResources } from "../runbooks/cfn";
import { AUTOMATION_DOCUMENT_NAMES } from "../runbooks/patchAutomationDocuments";
import { configDeliveryBucketStatements, configDeliveryKeyStatement, type RemediationMode } from "../compliance/complianceDocuments";
import { complianceConditions, complianceResources } from "../compliance/cfn";
import { forwardingResources, FORWARDING_IDS } from "../notifications/cfn";
import { PATCH_RUN_NAMES, patchRunBusArn } from "../notifications/notificationDocuments";
import { enforcerResources } from "../enforcer/cfn";
import { ARTIFACT_PREFIXES, LOCATION_NAMES, logBucketName } from "../../catalog/naming";
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
    /** Where the central stack lives: the patch-run bus every forwarding rule targets, the artifacts buckets' owner. */
    readonly centralAccountId: string;
    readonly centralRegion: string;
    readonly compliance: {
        /**
         * The inventory-log bucket's folder for AWS Config deliveries when the program records Config
         * (compliance.configRecorder), as stacks/awsData.ts CONFIG_DELIVERY_PREFIX: a recorder,
         * delivery channel and role, and the bucket/key statements admitting Config.
         * @default - no recorder: the rules use the account's own
         */
        readonly configDeliveryPrefix?: string;
        /** @default - no automatic remediation */
        readonly remediation?: TemplateRemediation;
    };
    /** notifications.patchRunSuccess: the forwarders match successes too (same value as the central rules). */
    readonly notifySuccess: boolean;
    /** @default - no SSM-role enforcer (enforcer.enabled false) */
    readonly enforcer?: TemplateEnforcer;
}

/** compliance.remediation, with the rate control the patch groups of the template translate to (remediationRateControl). */
export interface TemplateRemediation {
    readonly mode: RemediationMode;
    /** @default - RebootIfNeeded */
    readonly rebootOption?: "RebootIfNeeded" | "NoReboot";
    readonly maximumAutomaticAttempts: number;
    readonly retryAttemptSeconds: number;
    /** @default PATCH_COMPLIANCE_DEFAULTS.concurrentExecutionRatePercentage */
    readonly concurrentExecutionRatePercentage?: number;
    /** @default PATCH_COMPLIANCE_DEFAULTS.errorPercentage */
    readonly errorPercentage?: number;
}

/** The enforcer settings (stack config `enforcer`, `logAccess.enforcerAttach`) and its bundle's key. */
export interface TemplateEnforcer {
    readonly optOutTagKey: string;
    readonly instanceRoleTagKey: string;
    /** @default - only tagged roles are in scope */
    readonly instanceRolePath?: string;
    readonly schedule: string;
    readonly attachLogWriter: boolean;
    /** Key of the enforcer bundle in every target Region's artifacts bucket (ARTIFACT_PREFIXES.enforcerCode/…). */
    readonly codeS3Key: string;
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
 * association and Resource Data Sync, the patch runbooks, the patch-run event forwarding, the
 * AWS Config rules (recorder and remediation when configured; NON_COMPLIANT events forwarded to
 * the central bus, not a topic per member) and the SSM-role enforcer when enabled.
 *
 * Not here: Default Host Management. It is an SSM service setting
 * (`/ssm/managed-instance/default-ec2-instance-management-role`), for which CloudFormation has no
 * resource type (no AWS::SSM::ServiceSetting; cloudformation-coverage-roadmap#2459) — see the
 * README ("The member-side templates") for Quick Setup's DHMC configuration or the CLI instead.
 */
export function regionalTemplate(ctx: TemplateContext): CfnTemplate {
    const inventoryLogBucket = logBucketName("inventory", ACCOUNT_ID_MARKER, REGION_MARKER);
    const deliveryPrefix = ctx.compliance.configDeliveryPrefix;
    const kms = ctx.logStorage.encryption === "SSE-KMS";
    const configDelivery =
        deliveryPrefix === undefined
            ? {}
            : {
                  extraBucketStatements: { inventory: configDeliveryBucketStatements(inventoryLogBucket, deliveryPrefix, ACCOUNT_ID_MARKER) },
                  extraKeyStatements: [configDeliveryKeyStatement(ACCOUNT_ID_MARKER)],
              };
    const centralBusArn = patchRunBusArn(ctx.centralRegion, ctx.centralAccountId);
    const remediation = ctx.compliance.remediation;
    return {
        AWSTemplateFormatVersion: "2010-09-09",
        Description: `multicloud-patching ${ctx.environment}: Regional member resources (organization mode; every target Region)`,
        Conditions: complianceConditions(),
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
            forwardingResources({ centralBusArn, notifySuccess: ctx.notifySuccess, extraRuleNames: [PATCH_RUN_NAMES.forwardNonCompliantRule] }),
            complianceResources({
                ...(deliveryPrefix === undefined
                    ? {}
                    : {
                          configRecorder: {
                              deliveryBucketName: inventoryLogBucket,
                              deliveryBucketId: LOG_BUCKET_IDS.bucket("inventory"),
                              deliveryBucketPolicyId: LOG_BUCKET_IDS.policy("inventory"),
                              deliveryKeyPrefix: deliveryPrefix,
                              ...(kms ? { deliveryKeyId: LOG_BUCKET_IDS.key } : {}),
                          },
                      }),
                ...(remediation === undefined
                    ? {}
                    : {
                          remediation: {
                              documentName: AUTOMATION_DOCUMENT_NAMES.runPatchBaseline,
                              executionRoleName: ctx.executionRoleName,
                              mode: remediation.mode,
                              ...(remediation.rebootOption === undefined ? {} : { rebootOption: remediation.rebootOption }),
                              maximumAttempts: remediation.maximumAutomaticAttempts,
                              retryAttemptSeconds: remediation.retryAttemptSeconds,
                              ...(remediation.concurrentExecutionRatePercentage === undefined ? {} : { concurrentExecutionRatePercentage: remediation.concurrentExecutionRatePercentage }),
                              ...(remediation.errorPercentage === undefined ? {} : { errorPercentage: remediation.errorPercentage }),
                          },
                      }),
                forwarding: { centralBusArn, forwarderRoleId: FORWARDING_IDS.role },
            }),
            ctx.enforcer === undefined ? {} : enforcerResources({ centralAccountId: ctx.centralAccountId, ...ctx.enforcer }),
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

/**
 * The enforcer bundle's key until the central stack publishes the real one (context built without
 * `enforcerCodeS3Key`): a name no bundle ever has, so a template carrying it is obviously unwired.
 */
export const ENFORCER_CODE_KEY_PLACEHOLDER = `${ARTIFACT_PREFIXES.enforcerCode}/UNPUBLISHED-enforcer-bundle-key-not-wired.zip`;
