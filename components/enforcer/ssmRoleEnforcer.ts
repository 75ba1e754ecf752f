import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ENFORCER_DEFAULTS, ENFORCER_ENV } from "../../lambda/ssmRoleEnforcer/settings";
import { enforcerRolePolicy, enforcerTrust, functionLogGroupName, instanceRunningEventPattern } from "./enforcerDocuments";
import { MANAGED_POLICIES } from "../identity/iamDocuments";
import { lambdaBundle, lambdaEntry } from "../assets/lambdaBundle";
import { lambdaCodeArchive } from "../assets/lambdaArchive";
import { permissionsBoundaryArn } from "../../catalog/naming";
import { IAM_ROLE_SUBPATH, IAM_TAG_KEY } from "../../catalog/iam";

export const SSM_ROLE_ENFORCER_DEFAULTS = {
    /** Lambda names are per account and Region, so one name fits every location. */
    functionName: "patching-ssm-role-enforcer",
    optOutTagKey: ENFORCER_DEFAULTS.optOutTagKey,
    instanceRoleTagKey: ENFORCER_DEFAULTS.instanceRoleTagKey,
    schedule: "rate(1 day)",
    logRetentionDays: 90,
    /** A sweep of a large Region pages through every instance; 5 minutes leaves ample room. */
    timeoutSeconds: 300,
    memorySizeMb: 256,
    /**
     * nodejs20.x was deprecated on 30 April 2026 (no new functions since 31 August 2026);
     * nodejs24.x is the newest Node.js runtime. The handler is async (Node.js 24 on Lambda drops
     * callback handlers). https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html
     */
    runtime: aws.lambda.Runtime.NodeJS24dX,
    /** Handler source, relative to the project root (the directory holding Pulumi.yaml). */
    entry: "lambda/ssmRoleEnforcer/handler.ts",
} as const;

/** The values CloudWatch Logs accepts for retentionInDays (PutRetentionPolicy). */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/** IAM is global, so the role name carries the Region: one enforcer per (account, Region). */
export function enforcerRoleName(region: string): string {
    return `${SSM_ROLE_ENFORCER_DEFAULTS.functionName}-${region}`;
}

export interface SsmRoleEnforcerArgs {
    readonly region: string;
    readonly accountId: string;
    /** The managed-node instance profile given to instances that have none. */
    readonly instanceProfileName: pulumi.Input<string>;
    /** The role inside that profile (the one role the enforcer may pass to EC2). */
    readonly instanceRoleName: string;
    /**
     * Tag key that exempts an instance (any value except "false").
     * @default SSM_ROLE_ENFORCER_DEFAULTS.optOutTagKey
     */
    readonly optOutTagKey?: string;
    /**
     * IAM tag key that puts an instance role in scope for the SSM policy attach (value "true").
     * @default SSM_ROLE_ENFORCER_DEFAULTS.instanceRoleTagKey
     */
    readonly instanceRoleTagKey?: string;
    /**
     * IAM path (`/segment/.../`) whose roles are in scope too, besides tagged ones. Never "/":
     * every role's path starts with "/", so the IAM half of the scope would allow every role.
     * @default - none: only tagged roles are in scope
     */
    readonly instanceRolePath?: string;
    /**
     * The account's log-writer policy (ManagedNodeRoles.logWriterPolicyArn); when given, the
     * enforcer attaches it besides AmazonSSMManagedInstanceCore to the same in-scope instance
     * roles, so their instances can upload command output to the log buckets (issue 15). Must be
     * `arn:aws:iam::<accountId>:policy/patching-log-writer`: the program boundary lets exactly
     * that name onto roles outside the program.
     * @default - none: only AmazonSSMManagedInstanceCore is attached
     */
    readonly logWriterPolicyArn?: pulumi.Input<string>;
    /**
     * EventBridge rule schedule expression (`rate(...)` or `cron(...)`) of the full sweep.
     * @default SSM_ROLE_ENFORCER_DEFAULTS.schedule
     */
    readonly schedule?: string;
    /**
     * Retention of the function's log group; one of LOG_RETENTION_DAYS.
     * @default SSM_ROLE_ENFORCER_DEFAULTS.logRetentionDays
     */
    readonly logRetentionDays?: number;
}

const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;

export function validateSsmRoleEnforcerArgs(args: SsmRoleEnforcerArgs): void {
    const fail = (message: string): never => {
        throw new Error(`SsmRoleEnforcer: ${message}`);
    };
    if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(args.region)) {
        fail(`region "${args.region}" is not an AWS Region name (e.g. eu-west-2)`);
    }
    if (!/^\d{12}$/.test(args.accountId)) {
        fail(`accountId "${args.accountId}" is not a 12-digit AWS account id`);
    }
    for (const key of ["instanceProfileName", "instanceRoleName"] as const) {
        const value = args[key];
        // An Output (the profile's name from ManagedNodeRoles) is checked where it is created.
        if (typeof value === "string" && !/^[\w+=,.@-]{1,64}$/.test(value)) {
            fail(`${key} "${value}" is not an IAM name (1-64 of letters, digits and +=,.@_-)`);
        }
    }
    const tagKey = args.optOutTagKey ?? SSM_ROLE_ENFORCER_DEFAULTS.optOutTagKey;
    if (tagKey.length < 1 || tagKey.length > 128 || /^aws:/i.test(tagKey)) {
        fail(`optOutTagKey "${tagKey}" is not a usable EC2 tag key (1-128 characters, not starting with "aws:")`);
    }
    const roleTagKey = args.instanceRoleTagKey ?? SSM_ROLE_ENFORCER_DEFAULTS.instanceRoleTagKey;
    if (!IAM_TAG_KEY.test(roleTagKey)) {
        fail(`instanceRoleTagKey "${roleTagKey}" is not an IAM tag key (1-128 of letters, digits, spaces and _.:/=+-@, not starting with "aws:")`);
    }
    const path = args.instanceRolePath;
    if (path !== undefined && (path === "/" || !IAM_ROLE_SUBPATH.test(path))) {
        fail(`instanceRolePath "${path}" is not an IAM path below the root: /<segment>/…/ (3-512 printable ASCII characters without * or ?); "/" would put every role in scope`);
    }
    const schedule = args.schedule ?? SSM_ROLE_ENFORCER_DEFAULTS.schedule;
    const rate = RATE.exec(schedule);
    const cronFields = /^cron\((.+)\)$/.exec(schedule)?.[1].trim().split(/\s+/).length;
    // EventBridge rules want the singular unit for 1 and the plural otherwise; cron has 6 fields.
    const rateOk = rate !== null && Number(rate[1]) >= 1 && (Number(rate[1]) === 1) === !rate[2].endsWith("s");
    if (!rateOk && cronFields !== 6) {
        fail(`schedule "${schedule}" is not an EventBridge rule schedule: rate(<n> minute|minutes|hour|hours|day|days), singular only for 1, or cron(<6 fields>)`);
    }
    const retention = args.logRetentionDays ?? SSM_ROLE_ENFORCER_DEFAULTS.logRetentionDays;
    if (!(LOG_RETENTION_DAYS as readonly number[]).includes(retention)) {
        fail(`logRetentionDays ${retention} is not a CloudWatch Logs retention; allowed: ${LOG_RETENTION_DAYS.join(", ")}`);
    }
}

/**
 * SPEC capability 10 for one (account, Region): a Lambda that gives EC2 instances an SSM-capable
 * identity — the managed-node instance profile when they have none (unless opted out),
 * AmazonSSMManagedInstanceCore on their role when it lacks SSM permissions and is an in-scope
 * instance role (trusted by EC2 only; tagged or under the configured path) — run when an instance
 * enters `running` and on a schedule. The code is the project's own handler, bundled (AWS SDK included) during the run.
 */
export class SsmRoleEnforcer extends pulumi.ComponentResource {
    readonly functionArn: pulumi.Output<string>;
    readonly functionName: pulumi.Output<string>;
    readonly roleArn: pulumi.Output<string>;

    constructor(name: string, args: SsmRoleEnforcerArgs, opts?: pulumi.ComponentResourceOptions) {
        validateSsmRoleEnforcerArgs(args);
        super("patching:nodes:SsmRoleEnforcer", name, {}, opts);
        const { region, accountId } = args;
        const functionName = SSM_ROLE_ENFORCER_DEFAULTS.functionName;
        const ssmPolicyArn = MANAGED_POLICIES.ssmManagedInstanceCore;
        const instanceRoleTagKey = args.instanceRoleTagKey ?? SSM_ROLE_ENFORCER_DEFAULTS.instanceRoleTagKey;

        const role = new aws.iam.Role(
            `${name}-role`,
            { name: enforcerRoleName(region), permissionsBoundary: permissionsBoundaryArn(accountId), description: `SSM-role enforcer Lambda in ${region} (multicloud-patching)`, assumeRolePolicy: JSON.stringify(enforcerTrust(accountId)) },
            { parent: this },
        );
        const logWriterPolicyArn = args.logWriterPolicyArn === undefined ? undefined : pulumi.output(args.logWriterPolicyArn);
        const policyInputs = { accountId, region, instanceRoleName: args.instanceRoleName, functionName, ssmPolicyArn, instanceRoleTagKey, instanceRolePath: args.instanceRolePath };
        const permissions = new aws.iam.RolePolicy(
            `${name}-role-policy`,
            {
                role: role.name,
                name: "enforce-ssm-instance-roles",
                policy:
                    logWriterPolicyArn === undefined
                        ? JSON.stringify(enforcerRolePolicy(policyInputs))
                        : logWriterPolicyArn.apply((arn) => JSON.stringify(enforcerRolePolicy({ ...policyInputs, logWriterPolicyArn: arn }))),
            },
            { parent: this },
        );
        // Created by us, not by Lambda on first write, so it has a retention and is deleted with
        // the stack; the function references it, which orders it first.
        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-log-group`,
            { region, name: functionLogGroupName(functionName), retentionInDays: args.logRetentionDays ?? SSM_ROLE_ENFORCER_DEFAULTS.logRetentionDays },
            { parent: this },
        );
        const bundle = lambdaBundle(lambdaEntry(SSM_ROLE_ENFORCER_DEFAULTS.entry));
        const fn = new aws.lambda.Function(
            `${name}-function`,
            {
                region,
                name: functionName,
                description: "Gives EC2 instances the managed-node instance profile / SSM policy (multicloud-patching)",
                role: role.arn,
                runtime: SSM_ROLE_ENFORCER_DEFAULTS.runtime,
                handler: "index.handler",
                code: lambdaCodeArchive(bundle),
                timeout: SSM_ROLE_ENFORCER_DEFAULTS.timeoutSeconds,
                memorySize: SSM_ROLE_ENFORCER_DEFAULTS.memorySizeMb,
                environment: {
                    variables: {
                        [ENFORCER_ENV.instanceProfileName]: args.instanceProfileName,
                        [ENFORCER_ENV.optOutTagKey]: args.optOutTagKey ?? SSM_ROLE_ENFORCER_DEFAULTS.optOutTagKey,
                        [ENFORCER_ENV.ssmPolicyArn]: ssmPolicyArn,
                        // The same scope the role policy allows, so the handler never attempts an
                        // attach IAM would deny (and logs why it skipped instead).
                        [ENFORCER_ENV.instanceRoleTagKey]: instanceRoleTagKey,
                        ...(args.instanceRolePath === undefined ? {} : { [ENFORCER_ENV.instanceRolePath]: args.instanceRolePath }),
                        ...(logWriterPolicyArn === undefined ? {} : { [ENFORCER_ENV.logWriterPolicyArn]: logWriterPolicyArn }),
                    },
                },
                // Text: the handler writes one JSON object per line itself (see jsonLineLogger).
                loggingConfig: { logFormat: "Text", logGroup: logGroup.name },
            },
            // Never invoked without its permissions: EventBridge may fire as soon as the rule exists.
            { parent: this, dependsOn: [permissions] },
        );

        const rules = {
            running: { description: "EC2 instance entered running: enforce its SSM role", eventPattern: JSON.stringify(instanceRunningEventPattern()) },
            sweep: { description: "Scheduled sweep: enforce SSM roles on every instance", scheduleExpression: args.schedule ?? SSM_ROLE_ENFORCER_DEFAULTS.schedule },
        };
        for (const [key, rule] of Object.entries(rules)) {
            const eventRule = new aws.cloudwatch.EventRule(`${name}-${key}-rule`, { region, name: `${functionName}-${key}`, ...rule }, { parent: this });
            new aws.cloudwatch.EventTarget(`${name}-${key}-target`, { region, rule: eventRule.name, targetId: "ssm-role-enforcer", arn: fn.arn }, { parent: this });
            // Only this rule may invoke the function through EventBridge.
            new aws.lambda.Permission(
                `${name}-${key}-permission`,
                { region, action: "lambda:InvokeFunction", function: fn.name, principal: "events.amazonaws.com", sourceArn: eventRule.arn },
                { parent: this },
            );
        }

        this.functionArn = fn.arn;
        this.functionName = fn.name;
        this.roleArn = role.arn;
        this.registerOutputs({ functionArn: this.functionArn, functionName: this.functionName, roleArn: this.roleArn });
    }
}
