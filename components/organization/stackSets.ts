import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { isOrganizationTargetId, type CallAs, type StackSetRegionConcurrency } from "../../catalog/organizations";
import { accountTemplate, MAX_TEMPLATE_BODY_BYTES, regionalTemplate, templateBody, type TemplateContext } from "./templates";
import { MAX_TEMPLATE_URL_BYTES, templateObjectKey, templateUrl } from "./artifactDocuments";
import type { CfnTemplate } from "./cloudFormation";

/**
 * Organization mode (issue 16): the member side as two service-managed CloudFormation StackSets in
 * the central account (the management account, or a delegated administrator for StackSets).
 */

/** StackSet names (CreateStackSet StackSetName: `[a-zA-Z][-a-zA-Z0-9]*`, at most 128 characters). */
export const MEMBER_STACK_SET_NAMES = {
    account: "patching-member-account",
    regional: "patching-member-regional",
} as const;

/** Organizational units (or the root), the Regions the member side is deployed to there, accounts left out. */
export interface StackSetTarget {
    readonly organizationalUnits: readonly string[];
    readonly regions: readonly string[];
    readonly excludeAccounts: readonly string[];
}

export interface MemberStackSetsArgs {
    /** The central Region: the StackSets and their instances are managed here (the account-wide one is also deployed here). */
    readonly region: string;
    /** CreateStackSet / CreateStackInstances `CallAs`: SELF in the management account, DELEGATED_ADMIN in a registered delegated administrator. */
    readonly callAs: CallAs;
    /** The template context; its `inventory.dataSyncKmsKeyArn` is taken from {@link dataSyncKmsKeyArn} when that is set. */
    readonly context: TemplateContext;
    /**
     * The central Resource Data Sync bucket's key (SSE-KMS), known only once the key exists.
     * @default - the context's own (none: SSE-S3)
     */
    readonly dataSyncKmsKeyArn?: pulumi.Input<string>;
    readonly targets: readonly StackSetTarget[];
    /**
     * Accounts never deployed to, whatever OU they are in: the configured accounts, whose member
     * side Pulumi manages under the same physical names (a stack instance there would fail on the
     * existing IAM role names and runbooks).
     */
    readonly configuredAccountIds: readonly string[];
    /**
     * The central account's artifacts bucket in the central Region (OrganizationArtifacts): a
     * template over CreateStackSet's 51,200-byte `TemplateBody` limit is uploaded there under a
     * content-hashed key and passed as `TemplateURL` (at most 1 MB).
     * @default - none: a template over the limit stops the program
     */
    readonly templateBucketName?: pulumi.Input<string>;
    /**
     * Resources every stack instance needs first (the enforcer packages in the target Regions'
     * artifact buckets: CreateFunction fails on a missing `Code.S3Key`).
     * @default []
     */
    readonly instancesDependOn?: readonly pulumi.Resource[];
    readonly operationPreferences: {
        readonly maxConcurrentPercentage: number;
        readonly failureTolerancePercentage: number;
        readonly regionConcurrencyType: StackSetRegionConcurrency;
    };
}

/** One StackSetInstance resource: OUs in one Region, minus the excluded accounts. */
export interface StackSetInstancePlan {
    readonly region: string;
    readonly organizationalUnits: readonly string[];
    readonly excludeAccounts: readonly string[];
}

const ACCOUNT = /^\d{12}$/;

/**
 * @param bytes the templates' TemplateBody sizes; the component passes the ones it rendered so the
 * templates are rendered once per evaluation.
 */
export function validateMemberStackSetsArgs(args: MemberStackSetsArgs, bytes: Record<"account" | "regional", number> = templateBytes(args)): void {
    const problems: string[] = [];
    if (args.targets.length === 0) {
        problems.push("targets is empty; a service-managed StackSet needs at least one organizational unit to deploy to");
    }
    for (const target of args.targets) {
        if (target.organizationalUnits.length === 0 || target.regions.length === 0) {
            problems.push(`a target needs organizational units and Regions (got ${target.organizationalUnits.length} and ${target.regions.length})`);
        }
        const badOu = target.organizationalUnits.find((ou) => !isOrganizationTargetId(ou));
        if (badOu !== undefined) {
            problems.push(`"${badOu}" is not an organizational unit (ou-…) or root (r-…) id`);
        }
    }
    const badAccount = [...args.configuredAccountIds, ...args.targets.flatMap((t) => t.excludeAccounts)].find((id) => !ACCOUNT.test(id));
    if (badAccount !== undefined) {
        problems.push(`"${badAccount}" is not a 12-digit account id`);
    }
    for (const [kind, size] of Object.entries(bytes)) {
        const label = kind === "account" ? "account-wide" : "Regional";
        if (size > MAX_TEMPLATE_URL_BYTES) {
            problems.push(`the ${label} template is ${size} bytes, over CloudFormation's ${MAX_TEMPLATE_URL_BYTES}-byte TemplateURL limit — reduce the patch groups or their operating systems`);
        } else if (size > MAX_TEMPLATE_BODY_BYTES && args.templateBucketName === undefined) {
            problems.push(`the ${label} template is ${size} bytes, over CreateStackSet's ${MAX_TEMPLATE_BODY_BYTES}-byte TemplateBody limit, and no templateBucketName is given to pass it as TemplateURL`);
        }
    }
    if (problems.length > 0) {
        throw new Error(`MemberStackSets: ${problems.join("; ")}`);
    }
}

/** Both templates, their TemplateBody (compact JSON) and its UTF-8 size, rendered once. */
interface RenderedTemplates {
    readonly account: CfnTemplate;
    readonly regional: CfnTemplate;
    readonly accountBody: string;
    /** Without the data-sync key: the body sent when {@link MemberStackSetsArgs.dataSyncKmsKeyArn} is unset. */
    readonly regionalBody: string;
    readonly bytes: Record<"account" | "regional", number>;
}

/**
 * With a data-sync key still unknown, the Regional template is sized with a key ARN of the longest
 * form (a multi-Region key id).
 */
function renderTemplates(args: Pick<MemberStackSetsArgs, "context" | "dataSyncKmsKeyArn" | "region">): RenderedTemplates {
    const account = accountTemplate(args.context);
    const regional = regionalTemplate(args.context);
    const accountBody = templateBody(account);
    const regionalBody = templateBody(regional);
    const sizedRegionalBody =
        args.dataSyncKmsKeyArn === undefined
            ? regionalBody
            : templateBody(regionalTemplate(withDataSyncKey(args.context, `arn:aws:kms:${args.region}:000000000000:key/mrk-00000000000000000000000000000000`)));
    return { account, regional, accountBody, regionalBody, bytes: { account: Buffer.byteLength(accountBody, "utf8"), regional: Buffer.byteLength(sizedRegionalBody, "utf8") } };
}

/** TemplateBody bytes (compact JSON, UTF-8) of both templates (see {@link renderTemplates}). */
export function templateBytes(args: Pick<MemberStackSetsArgs, "context" | "dataSyncKmsKeyArn" | "region">): Record<"account" | "regional", number> {
    return renderTemplates(args).bytes;
}

function withDataSyncKey(context: TemplateContext, dataSyncKmsKeyArn: string): TemplateContext {
    return { ...context, inventory: { ...context.inventory, dataSyncKmsKeyArn } };
}

/** Sorted, deduplicated. */
const set = (values: readonly string[]) => [...new Set(values)].sort();

/**
 * The account-wide StackSet's instances: ONE, in the central Region, over every target OU (IAM is
 * global; a second Region's stack would collide on the role names). Excluded: every target's
 * excludeAccounts and the configured accounts (an account is in one OU, so the union only
 * removes what some target excludes).
 */
export function accountInstancePlan(args: Pick<MemberStackSetsArgs, "region" | "targets" | "configuredAccountIds">): StackSetInstancePlan[] {
    return [
        {
            region: args.region,
            organizationalUnits: set(args.targets.flatMap((t) => t.organizationalUnits)),
            excludeAccounts: set([...args.targets.flatMap((t) => t.excludeAccounts), ...args.configuredAccountIds]),
        },
    ];
}

/** The Regional StackSet's instances: one per target Region, over the OUs of every target that lists it. */
export function regionalInstancePlan(args: Pick<MemberStackSetsArgs, "targets" | "configuredAccountIds">): StackSetInstancePlan[] {
    const regions = set(args.targets.flatMap((t) => t.regions));
    return regions.map((region) => {
        const targets = args.targets.filter((t) => t.regions.includes(region));
        return {
            region,
            organizationalUnits: set(targets.flatMap((t) => t.organizationalUnits)),
            excludeAccounts: set([...targets.flatMap((t) => t.excludeAccounts), ...args.configuredAccountIds]),
        };
    });
}

/**
 * DeploymentTargets (CloudFormation API reference): `OrganizationalUnitIds` are OU or root ids;
 * with `Accounts` as well, a create operation requires `AccountFilterType`, and `DIFFERENCE`
 * deploys to every account of the OUs except those listed. Without exclusions the filter is left
 * out (deploys to every account of the OUs).
 */
export function deploymentTargets(plan: StackSetInstancePlan): aws.types.input.cloudformation.StackSetInstanceDeploymentTargets {
    return {
        organizationalUnitIds: [...plan.organizationalUnits],
        ...(plan.excludeAccounts.length === 0 ? {} : { accountFilterType: "DIFFERENCE", accounts: [...plan.excludeAccounts] }),
    };
}

/**
 * Two service-managed StackSets in the central account and their instances per (StackSet, Region):
 * - `patching-member-account` (accountTemplate: boundary, execution role, node roles, hybrid role),
 *   deployed in ONE Region per account (the central Region);
 * - `patching-member-regional` (regionalTemplate: baselines, resource groups, log buckets,
 *   inventory, runbooks), deployed in every target Region.
 * Auto-deployment is on, so an account created in (or moved into) a target OU gets both without a
 * stack update; one leaving is cleaned up (retainStacksOnAccountRemoval false — the log buckets and
 * key are `DeletionPolicy: Retain` in the template, so audit data stays).
 */
export class MemberStackSets extends pulumi.ComponentResource {
    readonly accountStackSetArn: pulumi.Output<string>;
    readonly regionalStackSetArn: pulumi.Output<string>;
    readonly stackSetIds: Record<"account" | "regional", pulumi.Output<string>>;
    /** Template bytes as sent in TemplateBody (compact JSON). */
    readonly templateBytes: Record<"account" | "regional", number>;

    constructor(name: string, args: MemberStackSetsArgs, opts?: pulumi.ComponentResourceOptions) {
        // Rendering reads only the context and Region; the validator then checks the sizes of the
        // very bodies sent below.
        const rendered = renderTemplates(args);
        validateMemberStackSetsArgs(args, rendered.bytes);
        super("patching:organization:MemberStackSets", name, {}, opts);
        const { region, callAs } = args;
        const preferences = { ...args.operationPreferences };
        const stackSet = (kind: "account" | "regional", template: CfnTemplate, body: pulumi.Input<string>, dependsOnStackSets?: pulumi.Input<string>[]) => {
            const source = this.templateSource(`${name}-${kind}`, MEMBER_STACK_SET_NAMES[kind], body, rendered.bytes[kind], args);
            return new aws.cloudformation.StackSet(
                `${name}-${kind}`,
                {
                    region,
                    name: MEMBER_STACK_SET_NAMES[kind],
                    description: template.Description,
                    // SERVICE_MANAGED: StackSets creates the roles it needs in the member accounts
                    // itself (administrationRoleArn / executionRoleName are for SELF_MANAGED only).
                    permissionModel: "SERVICE_MANAGED",
                    callAs,
                    autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false, ...(dependsOnStackSets === undefined ? {} : { dependsOnStackSets }) },
                    // Queues conflicting operations (the per-Region instances below are created at
                    // once) instead of failing them with OperationInProgressException.
                    managedExecution: { active: true },
                    // The templates create named IAM roles, policies and an instance profile.
                    capabilities: ["CAPABILITY_NAMED_IAM"],
                    operationPreferences: preferences,
                    ...source,
                },
                { parent: this },
            );
        };
        const instances = (kind: "account" | "regional", stackSetResource: aws.cloudformation.StackSet, plans: readonly StackSetInstancePlan[], dependsOn: pulumi.Resource[]) =>
            plans.map(
                (plan) =>
                    new aws.cloudformation.StackSetInstance(
                        `${name}-${kind}-${plan.region}`,
                        {
                            // Where the stacks are deployed. `region` is left out on purpose: on this
                            // resource the provider documents it as the deprecated alias of
                            // stackSetInstanceRegion, so the instance is managed in the provider's
                            // Region, which for the central account is the central Region (the StackSet's).
                            stackSetInstanceRegion: plan.region,
                            stackSetName: stackSetResource.name,
                            callAs,
                            deploymentTargets: deploymentTargets(plan),
                            operationPreferences: preferences,
                        },
                        { parent: this, dependsOn: [...dependsOn, ...(args.instancesDependOn ?? [])] },
                    ),
            );

        const accountSet = stackSet("account", rendered.account, rendered.accountBody);
        const accountInstances = instances("account", accountSet, accountInstancePlan(args), []);
        // A new account's Regional stacks wait for its account-wide stack (the node roles write to the log buckets).
        const regionalBody =
            args.dataSyncKmsKeyArn === undefined
                ? rendered.regionalBody
                : pulumi.output(args.dataSyncKmsKeyArn).apply((arn) => templateBody(regionalTemplate(withDataSyncKey(args.context, arn))));
        const regionalSet = stackSet("regional", rendered.regional, regionalBody, [accountSet.arn]);
        instances("regional", regionalSet, regionalInstancePlan(args), accountInstances);

        this.accountStackSetArn = accountSet.arn;
        this.regionalStackSetArn = regionalSet.arn;
        this.stackSetIds = { account: accountSet.stackSetId, regional: regionalSet.stackSetId };
        this.templateBytes = rendered.bytes;
        this.registerOutputs({ accountStackSetArn: this.accountStackSetArn, regionalStackSetArn: this.regionalStackSetArn, stackSetIds: this.stackSetIds });
    }

    /**
     * `TemplateBody` when the template fits CreateStackSet's 51,200 bytes; otherwise the body is
     * uploaded to the artifacts bucket under a content-hashed key (a changed template is a new
     * object, so the StackSet update always reads the new one) and passed as `TemplateURL`.
     */
    private templateSource(
        name: string,
        stackSetName: string,
        body: pulumi.Input<string>,
        bytes: number,
        args: MemberStackSetsArgs,
    ): { templateBody: pulumi.Input<string> } | { templateUrl: pulumi.Output<string> } {
        if (bytes <= MAX_TEMPLATE_BODY_BYTES || args.templateBucketName === undefined) {
            return { templateBody: body };
        }
        const key = pulumi.output(body).apply((text) => templateObjectKey(stackSetName, text));
        const object = new aws.s3.BucketObjectv2(`${name}-template`, { region: args.region, bucket: args.templateBucketName, key, content: body, contentType: "application/json" }, { parent: this });
        return { templateUrl: pulumi.all([object.bucket, object.key]).apply(([bucket, objectKey]) => templateUrl(bucket, args.region, objectKey)) };
    }
}
