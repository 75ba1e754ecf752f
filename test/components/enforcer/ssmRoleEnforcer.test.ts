import { createHash } from "node:crypto";
import { strict as assert } from "node:assert";
import Module from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import { buildSync } from "esbuild";
import { enforcerRolePolicy, enforcerTrust, instanceRunningEventPattern, type EnforcerPolicyInputs, type EventPattern } from "../../../components/enforcer/enforcerDocuments";
import type { PolicyDocument } from "../../../components/identity/iamDocuments";
import { decideAll, type Decision } from "../../support/iamSimulation";
import { bundleLambda, lambdaEntry } from "../../../components/assets/lambdaBundle";
import { findProjectRoot } from "../../../components/assets/projectRoot";
import type { SsmRoleEnforcerArgs } from "../../../components/enforcer/ssmRoleEnforcer";
import { targetOf } from "../../../lambda/ssmRoleEnforcer/events";
import { mockArn } from "../../../tools/mock/mockState";
import { promiseOf } from "../../../tools/mock/promiseOf";
import type { ResourceRecorder } from "../../../tools/mock/recorder";
import { settle, startMockRuntime } from "../../../tools/mock/runtime";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const ACCOUNT = "222222222222";
const ARGS: SsmRoleEnforcerArgs = { region: "eu-west-2", accountId: ACCOUNT, instanceProfileName: "patching-managed-node", instanceRoleName: "patching-managed-node" };
const ENTRY = "lambda/ssmRoleEnforcer/handler.ts";
const CORE = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore";
const ROLE_TAG = "patching:ssm-instance-role";
const POLICY_INPUTS: EnforcerPolicyInputs = { accountId: ACCOUNT, region: "eu-west-2", instanceRoleName: "node-role", functionName: "fn", ssmPolicyArn: CORE, instanceRoleTagKey: ROLE_TAG };

/** The EC2 state-change sample from https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/monitoring-instance-state-changes.html */
const stateChange = (state: string) => ({
    id: "7bf73129-1428-4cd3-a780-95db273d1602",
    "detail-type": "EC2 Instance State-change Notification",
    source: "aws.ec2",
    account: "123456789012",
    time: "2021-11-11T21:29:54Z",
    region: "us-east-1",
    resources: ["arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"],
    detail: { "instance-id": "i-abcd1111", state },
});

/** EventBridge matching for the grammar subset used here: value lists (any of) and nested fields. */
function matches(pattern: EventPattern, event: Record<string, unknown>): boolean {
    return Object.entries(pattern).every(([field, rule]) => {
        const value = event[field];
        if (Array.isArray(rule)) {
            return (Array.isArray(value) ? value : [value]).some((candidate) => (rule as readonly unknown[]).includes(candidate));
        }
        return value !== null && typeof value === "object" && !Array.isArray(value) && matches(rule as EventPattern, value as Record<string, unknown>);
    });
}

/** Loads CommonJS text as if it were the file `filename` (so `__dirname` and require paths follow it). */
function loadCommonJs(code: string, filename: string): Record<string, unknown> {
    const loaded = new Module(filename);
    loaded.filename = filename;
    loaded.paths = (Module as unknown as { _nodeModulePaths(directory: string): string[] })._nodeModulePaths(path.dirname(filename));
    (loaded as unknown as { _compile(text: string, file: string): void })._compile(code, filename);
    return loaded.exports as Record<string, unknown>;
}

describe("components/enforcerDocuments: the enforcer's IAM documents and event pattern", () => {
    it("trusts Lambda for this account only", () => {
        assert.deepEqual(enforcerTrust(ACCOUNT), {
            Version: "2012-10-17",
            Statement: [{ Sid: "LambdaInThisAccount", Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } } }],
        });
    });

    it("grants exactly what the handler calls, scoped to this account, Region, role and policy, and denies the rest explicitly", () => {
        const document = enforcerRolePolicy({ ...POLICY_INPUTS, instanceRolePath: "/instances/" });
        const roles = `arn:aws:iam::${ACCOUNT}:role/*`;
        const tagged = { [`aws:ResourceTag/${ROLE_TAG}`]: "true" };
        assert.deepEqual(document.Statement, [
            { Sid: "FindInstancesAndProfiles", Effect: "Allow", Action: ["ec2:DescribeIamInstanceProfileAssociations", "ec2:DescribeInstances"], Resource: "*" },
            { Sid: "AssociateManagedNodeProfile", Effect: "Allow", Action: "ec2:AssociateIamInstanceProfile", Resource: `arn:aws:ec2:eu-west-2:${ACCOUNT}:instance/*` },
            { Sid: "PassManagedNodeRoleToEc2", Effect: "Allow", Action: "iam:PassRole", Resource: `arn:aws:iam::${ACCOUNT}:role/node-role`, Condition: { StringEquals: { "iam:PassedToService": "ec2.amazonaws.com" } } },
            { Sid: "ReadInstanceProfiles", Effect: "Allow", Action: "iam:GetInstanceProfile", Resource: `arn:aws:iam::${ACCOUNT}:instance-profile/*` },
            { Sid: "ReadInstanceRoles", Effect: "Allow", Action: ["iam:GetRole", "iam:ListAttachedRolePolicies"], Resource: roles },
            { Sid: "AttachSsmPolicyToTaggedRoles", Effect: "Allow", Action: "iam:AttachRolePolicy", Resource: roles, Condition: { ArnEquals: { "iam:PolicyARN": CORE }, StringEquals: tagged } },
            { Sid: "AttachSsmPolicyUnderPath", Effect: "Allow", Action: "iam:AttachRolePolicy", Resource: `arn:aws:iam::${ACCOUNT}:role/instances/*`, Condition: { ArnEquals: { "iam:PolicyARN": CORE } } },
            { Sid: "WriteOwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `arn:aws:logs:eu-west-2:${ACCOUNT}:log-group:/aws/lambda/fn:*` },
            { Sid: "DenyAnyOtherPolicy", Effect: "Deny", Action: "iam:AttachRolePolicy", Resource: "*", Condition: { ArnNotEquals: { "iam:PolicyARN": CORE } } },
            { Sid: "DenyRolesOutOfScope", Effect: "Deny", Action: "iam:AttachRolePolicy", NotResource: `arn:aws:iam::${ACCOUNT}:role/instances/*`, Condition: { StringNotEquals: tagged } },
            {
                Sid: "DenyProtectedRoles",
                Effect: "Deny",
                Action: ["iam:AttachRolePolicy", "iam:PassRole"],
                Resource: [
                    ...["OrganizationAccountAccessRole", "AWSControlTowerExecution", "AWSCloudFormationStackSetExecutionRole"].flatMap((name) => [`arn:aws:iam::${ACCOUNT}:role/${name}`, `arn:aws:iam::${ACCOUNT}:role/*/${name}`]),
                    `arn:aws:iam::${ACCOUNT}:role/aws-service-role/*`,
                    `arn:aws:iam::${ACCOUNT}:role/aws-reserved/*`,
                ],
            },
            { Sid: "DenyPassingOtherRoles", Effect: "Deny", Action: "iam:PassRole", NotResource: `arn:aws:iam::${ACCOUNT}:role/node-role` },
        ]);
        const withoutPath = enforcerRolePolicy(POLICY_INPUTS).Statement;
        assert.equal(withoutPath.find((statement) => statement.Sid === "AttachSsmPolicyUnderPath"), undefined, "no path configured: only tagged roles");
        assert.deepEqual(withoutPath.find((statement) => statement.Sid === "DenyRolesOutOfScope"), { Sid: "DenyRolesOutOfScope", Effect: "Deny", Action: "iam:AttachRolePolicy", Resource: roles, Condition: { StringNotEquals: tagged } });
    });

    it("matches the documented EC2 state-change event for running only, exactly when the handler acts on it", () => {
        const pattern = instanceRunningEventPattern();
        assert.deepEqual(pattern, { source: ["aws.ec2"], "detail-type": ["EC2 Instance State-change Notification"], detail: { state: ["running"] } });
        for (const state of ["running", "pending", "stopped", "stopping", "terminated"]) {
            const event = stateChange(state);
            assert.equal(matches(pattern, event), state === "running", state);
            assert.deepEqual(targetOf(event), state === "running" ? ["i-abcd1111"] : undefined, state);
        }
        const scheduled = { "detail-type": "Scheduled Event", source: "aws.events", detail: {} };
        assert.equal(matches(pattern, scheduled), false);
        assert.equal(targetOf(scheduled), "all");
        assert.equal(targetOf({ ...stateChange("running"), source: "custom.ec2" }), undefined, "a look-alike from another source");
    });
});

describe("components/enforcerDocuments: the enforcer's role policy under the IAM simulator (issue 14, M5)", () => {
    const ENFORCER = `arn:aws:iam::${ACCOUNT}:role/patching-ssm-role-enforcer-eu-west-2`;
    const role = (nameWithPath: string) => `arn:aws:iam::${ACCOUNT}:role/${nameWithPath}`;
    const TAGGED = { [`aws:ResourceTag/${ROLE_TAG}`]: "true" };
    const attach = (label: string, target: string, policyArn: string, tags: Record<string, string> = {}) => ({
        label,
        principal: ENFORCER,
        action: "iam:AttachRolePolicy",
        resource: role(target),
        resourceAccount: ACCOUNT,
        context: { "iam:PolicyARN": policyArn, ...tags },
    });
    const passRole = (label: string, target: string) => ({ label, principal: ENFORCER, action: "iam:PassRole", resource: role(target), resourceAccount: ACCOUNT, context: { "iam:PassedToService": "ec2.amazonaws.com" } });
    const REQUESTS = [
        attach("Core on a tagged instance role", "app-role", CORE, TAGGED),
        attach("Core on an untagged role under the path", "instances/web/app-role", CORE),
        attach("Core on an untagged role outside the path", "app-role", CORE),
        attach("Core on a role tagged with another value", "app-role", CORE, { [`aws:ResourceTag/${ROLE_TAG}`]: "yes" }),
        attach("Core on OrganizationAccountAccessRole, even tagged", "OrganizationAccountAccessRole", CORE, TAGGED),
        attach("Core on AWSControlTowerExecution, even tagged", "AWSControlTowerExecution", CORE, TAGGED),
        attach("Core on an IAM Identity Center role, even tagged", "aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123", CORE, TAGGED),
        attach("Core on a service-linked role, even tagged", "aws-service-role/ssm.amazonaws.com/AWSServiceRoleForAmazonSSM", CORE, TAGGED),
        attach("AdministratorAccess on a tagged instance role", "app-role", "arn:aws:iam::aws:policy/AdministratorAccess", TAGGED),
        attach("AdministratorAccess on a role under the path", "instances/app-role", "arn:aws:iam::aws:policy/AdministratorAccess"),
        passRole("PassRole of the managed-node role to EC2", "node-role"),
        passRole("PassRole of another role to EC2", "app-role"),
        passRole("PassRole of OrganizationAccountAccessRole to EC2", "OrganizationAccountAccessRole"),
        { label: "GetRole (trust, path, tags)", principal: ENFORCER, action: "iam:GetRole", resource: role("app-role"), resourceAccount: ACCOUNT },
    ];
    const decisions = (policy: PolicyDocument) => decideAll({ identity: [policy] }, REQUESTS);

    it("allows Core only on in-scope roles and the managed-node pass; explicitly denies every abuse", async () => {
        const expected: Record<string, Decision> = {
            "Core on a tagged instance role": "Allowed",
            "Core on an untagged role under the path": "Allowed",
            "Core on an untagged role outside the path": "ExplicitlyDenied",
            "Core on a role tagged with another value": "ExplicitlyDenied",
            "Core on OrganizationAccountAccessRole, even tagged": "ExplicitlyDenied",
            "Core on AWSControlTowerExecution, even tagged": "ExplicitlyDenied",
            // IAM itself refuses any change to /aws-reserved/ roles, and the simulator models that
            // refusal ahead of the policies (IamServiceAuthorizer); DenyProtectedRoles covers it too.
            "Core on an IAM Identity Center role, even tagged": "ImplicitlyDenied",
            "Core on a service-linked role, even tagged": "ExplicitlyDenied",
            "AdministratorAccess on a tagged instance role": "ExplicitlyDenied",
            "AdministratorAccess on a role under the path": "ExplicitlyDenied",
            "PassRole of the managed-node role to EC2": "Allowed",
            "PassRole of another role to EC2": "ExplicitlyDenied",
            "PassRole of OrganizationAccountAccessRole to EC2": "ExplicitlyDenied",
            "GetRole (trust, path, tags)": "Allowed",
        };
        assert.deepEqual(await decisions(enforcerRolePolicy({ ...POLICY_INPUTS, instanceRoleName: "node-role", instanceRolePath: "/instances/" }) as PolicyDocument), expected);
    });

    it("without a path, a role under some path is in scope only through the tag", async () => {
        const result = await decisions(enforcerRolePolicy(POLICY_INPUTS) as PolicyDocument);
        assert.equal(result["Core on an untagged role under the path"], "ExplicitlyDenied");
        assert.equal(result["Core on a tagged instance role"], "Allowed");
    });
});

describe("components/enforcerDocuments: the log-writer attach (issue 15) under the IAM simulator, with the program boundary", () => {
    const ENFORCER = `arn:aws:iam::${ACCOUNT}:role/patching-ssm-role-enforcer-eu-west-2`;
    const LOG_WRITER = `arn:aws:iam::${ACCOUNT}:policy/patching-log-writer`;
    const TAGGED = { [`aws:ResourceTag/${ROLE_TAG}`]: "true" };
    const attach = (label: string, target: string, policyArn: string, tags: Record<string, string> = {}) => ({
        label,
        principal: ENFORCER,
        action: "iam:AttachRolePolicy",
        resource: `arn:aws:iam::${ACCOUNT}:role/${target}`,
        resourceAccount: ACCOUNT,
        context: { "iam:PolicyARN": policyArn, ...tags },
    });
    const REQUESTS = [
        attach("Core on a tagged instance role", "app-role", CORE, TAGGED),
        attach("the log writer on a tagged instance role", "app-role", LOG_WRITER, TAGGED),
        attach("the log writer on a role under the path", "instances/app-role", LOG_WRITER),
        attach("the log writer on an untagged role outside the path", "app-role", LOG_WRITER),
        attach("the log writer on OrganizationAccountAccessRole, even tagged", "OrganizationAccountAccessRole", LOG_WRITER, TAGGED),
        attach("the log writer on a service-linked role, even tagged", "aws-service-role/ssm.amazonaws.com/AWSServiceRoleForAmazonSSM", LOG_WRITER, TAGGED),
        attach("another program policy on a tagged role", "app-role", `arn:aws:iam::${ACCOUNT}:policy/patching-reporting-reader`, TAGGED),
        attach("another account's patching-log-writer on a tagged role", "app-role", "arn:aws:iam::999999999999:policy/patching-log-writer", TAGGED),
        attach("AdministratorAccess on a tagged role", "app-role", "arn:aws:iam::aws:policy/AdministratorAccess", TAGGED),
    ];

    it("allows exactly Core and this account's log writer on in-scope roles; denies the rest, under the boundary the role carries", async () => {
        const { programBoundary } = await import("../../../components/identity/boundaryDocuments");
        const boundary = programBoundary({ accountId: ACCOUNT, project: "multicloud-patching", automationRoleNames: ["AWS-SystemsManager-AutomationExecutionRole"], deploymentRoles: [{ roleName: "multicloud-patching-deployer" }] }) as unknown as PolicyDocument;
        const identity = enforcerRolePolicy({ ...POLICY_INPUTS, instanceRolePath: "/instances/", logWriterPolicyArn: LOG_WRITER }) as PolicyDocument;
        assert.deepEqual(await decideAll({ identity: [identity], boundary }, REQUESTS), {
            "Core on a tagged instance role": "Allowed",
            "the log writer on a tagged instance role": "Allowed",
            "the log writer on a role under the path": "Allowed",
            "the log writer on an untagged role outside the path": "ExplicitlyDenied",
            "the log writer on OrganizationAccountAccessRole, even tagged": "ExplicitlyDenied",
            "the log writer on a service-linked role, even tagged": "ExplicitlyDenied",
            "another program policy on a tagged role": "ExplicitlyDenied",
            "another account's patching-log-writer on a tagged role": "ExplicitlyDenied",
            "AdministratorAccess on a tagged role": "ExplicitlyDenied",
        });
        // Without logWriterPolicyArn (logAccess.enforcerAttach false) the log writer is denied too.
        const coreOnly = await decideAll({ identity: [enforcerRolePolicy(POLICY_INPUTS) as PolicyDocument], boundary }, REQUESTS.slice(0, 2));
        assert.deepEqual(coreOnly, { "Core on a tagged instance role": "Allowed", "the log writer on a tagged instance role": "ExplicitlyDenied" });
    });
});

describe("SsmRoleEnforcer argument validation", () => {
    let validate: (args: SsmRoleEnforcerArgs) => void;
    before(async () => ({ validateSsmRoleEnforcerArgs: validate } = await import("../../../components/enforcer/ssmRoleEnforcer")));

    const CASES: [Partial<SsmRoleEnforcerArgs>, string][] = [
        [{ region: "EU-WEST-2" }, 'region "EU-WEST-2" is not an AWS Region name (e.g. eu-west-2)'],
        [{ accountId: "2222" }, 'accountId "2222" is not a 12-digit AWS account id'],
        [{ instanceProfileName: "managed node" }, 'instanceProfileName "managed node" is not an IAM name'],
        [{ instanceRoleName: "r".repeat(65) }, `instanceRoleName "${"r".repeat(65)}" is not an IAM name`],
        [{ optOutTagKey: "aws:skip" }, 'optOutTagKey "aws:skip" is not a usable EC2 tag key'],
        [{ optOutTagKey: "" }, 'optOutTagKey "" is not a usable EC2 tag key'],
        [{ schedule: "rate(1 days)" }, 'schedule "rate(1 days)" is not an EventBridge rule schedule'],
        [{ schedule: "rate(0 minutes)" }, 'schedule "rate(0 minutes)" is not'],
        [{ schedule: "cron(0 12 * * ?)" }, 'schedule "cron(0 12 * * ?)" is not'],
        [{ schedule: "at(2026-12-01T00:00:00)" }, 'schedule "at(2026-12-01T00:00:00)" is not'],
        [{ logRetentionDays: 0 }, "logRetentionDays 0 is not a CloudWatch Logs retention; allowed: 1, 3, 5,"],
        [{ logRetentionDays: 100 }, "logRetentionDays 100 is not a CloudWatch Logs retention"],
        [{ instanceRolePath: "/" }, 'instanceRolePath "/" is not an IAM path below the root: /<segment>/…/ (3-512 printable ASCII characters without * or ?); "/" would put every role in scope'],
        [{ instanceRolePath: "/a?/" }, 'instanceRolePath "/a?/" is not an IAM path below the root'],
        [{ instanceRolePath: "instances/" }, 'instanceRolePath "instances/" is not an IAM path below the root'],
        [{ instanceRoleTagKey: "aws:role" }, 'instanceRoleTagKey "aws:role" is not an IAM tag key (1-128 of letters, digits, spaces and _.:/=+-@, not starting with "aws:")'],
        [{ instanceRoleTagKey: "a<b" }, 'instanceRoleTagKey "a<b" is not an IAM tag key'],
    ];
    for (const [change, message] of CASES) {
        it(`rejects ${JSON.stringify(change).slice(0, 60)}`, () => {
            assert.throws(() => validate({ ...ARGS, ...change }), (error: Error) => error.message.startsWith(`SsmRoleEnforcer: ${message}`) || assert.fail(error.message));
        });
    }

    it("accepts the defaults and other valid values", () => {
        validate(ARGS);
        validate({ ...ARGS, schedule: "cron(0 3 ? * MON-FRI *)", logRetentionDays: 3653, optOutTagKey: "ssm-opt-out" });
        validate({ ...ARGS, schedule: "rate(6 hours)", logRetentionDays: 1 });
        validate({ ...ARGS, instanceRolePath: "/instances/web/", instanceRoleTagKey: "team:ssm instance-role" });
    });
});

describe("components/assets: finding the handler and bundling it", () => {
    it("finds the project root from the source folders and from the esbuild output folders", () => {
        for (const start of ["components/assets", "dist", "dist/tools/plan", "lambda/ssmRoleEnforcer"]) {
            assert.equal(findProjectRoot(path.join(ROOT, start)), ROOT, start);
        }
        assert.throws(() => findProjectRoot(os.tmpdir()), /no Pulumi\.yaml in .* or any directory above it/);
        assert.throws(() => lambdaEntry("lambda/missing/handler.ts", ROOT), /Lambda entry lambda\/missing\/handler\.ts not found under the project root/);
    });

    it("resolves the entry the same way when built like tools/build.mjs and run from dist/index.js", () => {
        // Same options as tools/build.mjs (packages external), loaded as dist/index.js would be.
        const stdin = { contents: 'export { lambdaEntry } from "./lambdaBundle"; export { findProjectRoot } from "./projectRoot";', resolveDir: path.join(ROOT, "components/assets"), loader: "ts" as const };
        const built = buildSync({ stdin, bundle: true, platform: "node", target: "node20", format: "cjs", packages: "external", write: false, outdir: "dist", absWorkingDir: ROOT });
        const fromDist = loadCommonJs(built.outputFiles[0].text, path.join(ROOT, "dist", "index.js")) as { lambdaEntry(relative: string): string; findProjectRoot(): string };
        assert.equal(fromDist.findProjectRoot(), ROOT);
        assert.equal(fromDist.lambdaEntry(ENTRY), path.join(ROOT, ENTRY));
    });

    it("bundles the handler with the AWS SDK into one self-contained CommonJS file that exports a working handler", async () => {
        const code = bundleLambda(lambdaEntry(ENTRY));
        assert.equal(bundleLambda(path.join(ROOT, ENTRY)), code, "cached per entry");
        // Only Node.js built-ins stay external (the one other `require("…")` text is inside an SDK
        // error message, written as `[require("@aws-sdk/signature-v4-crt");]`).
        const external = [...code.matchAll(/(?<!\[)require\("([^"]+)"\)/g)].map((match) => match[1]).filter((id) => !id.startsWith("node:"));
        assert.deepEqual(external, [], "the SDK is inside the bundle");
        assert.match(code, /DescribeIamInstanceProfileAssociations/);
        assert.ok(code.length > 500_000 && code.length < 5_000_000, `size ${code.length}`);
        // Loaded from a folder with no node_modules above it: any package left external would fail here.
        const bundle = loadCommonJs(code, path.join(os.tmpdir(), "enforcer-bundle", "index.js")) as { handler(event: unknown): Promise<unknown> };
        assert.equal(typeof bundle.handler, "function");
        const saved = process.env.INSTANCE_PROFILE_NAME;
        delete process.env.INSTANCE_PROFILE_NAME;
        try {
            await assert.rejects(bundle.handler({ source: "aws.events", "detail-type": "Scheduled Event", detail: {} }), /INSTANCE_PROFILE_NAME is not set/);
        } finally {
            if (saved !== undefined) process.env.INSTANCE_PROFILE_NAME = saved;
        }
    });
});

/** The component under the mock runtime with an explicit member-account provider. */
async function runComponent(preview: boolean) {
    const recorder = await startMockRuntime({ project: "p", stack: "s", config: {}, preview });
    const { SsmRoleEnforcer } = await import("../../../components/enforcer/ssmRoleEnforcer");
    const { Provider } = await import("@pulumi/aws/provider");
    const provider = new Provider("aws-member", { region: "us-west-2", allowedAccountIds: [ACCOUNT] });
    const component = new SsmRoleEnforcer("enforcer", { ...ARGS, optOutTagKey: "skip-ssm", schedule: "rate(12 hours)", logRetentionDays: 30, instanceRoleTagKey: "ssm-instance", instanceRolePath: "/instances/" }, { provider });
    await settle();
    return { recorder, component };
}

describe("SsmRoleEnforcer under the mock runtime", () => {
    let recorder: ResourceRecorder;
    let component: Awaited<ReturnType<typeof runComponent>>["component"];
    const get = (type: string, name: string) => recorder.get(type, name);
    const FUNCTION_ARN = mockArn("aws:lambda/function:Function", "patching-ssm-role-enforcer", ACCOUNT, "eu-west-2");

    before(async () => ({ recorder, component } = await runComponent(false)));

    it("creates the function with the bundled code, runtime, environment and log group, in the member account and Region", async () => {
        const fn = get("aws:lambda/function:Function", "enforcer-function");
        const { runtime, handler, region, timeout, memorySize, environment, loggingConfig, role, code } = fn.inputs as Record<string, never>;
        assert.deepEqual(
            { runtime, handler, region, timeout, memorySize, environment, loggingConfig, role },
            {
                runtime: "nodejs24.x",
                handler: "index.handler",
                region: "eu-west-2",
                timeout: 300,
                memorySize: 256,
                environment: { variables: { INSTANCE_PROFILE_NAME: "patching-managed-node", OPT_OUT_TAG_KEY: "skip-ssm", SSM_POLICY_ARN: CORE, INSTANCE_ROLE_TAG_KEY: "ssm-instance", INSTANCE_ROLE_PATH: "/instances/" } },
                loggingConfig: { logFormat: "Text", logGroup: "/aws/lambda/patching-ssm-role-enforcer" },
                role: `arn:aws:iam::${ACCOUNT}:role/patching-ssm-role-enforcer-eu-west-2`,
            },
        );
        // The recorder summarises assets by digest (tools/mock/plainValues.ts); the bundle goes as
        // a file (the SDK sends its path), the digest is of its bytes.
        const bundled = bundleLambda(lambdaEntry(ENTRY));
        assert.deepEqual((code as { $archive: Record<string, unknown> }).$archive["index.js"], {
            $asset: "file",
            bytes: Buffer.byteLength(bundled),
            sha256: createHash("sha256").update(bundled).digest("hex"),
        });
        assert.equal(recorder.providerOf(fn)?.name, "aws-member");
        assert.ok(fn.options.dependsOn.includes(get("aws:iam/rolePolicy:RolePolicy", "enforcer-role-policy").urn), "waits for its permissions");
        const group = get("aws:cloudwatch/logGroup:LogGroup", "enforcer-log-group").inputs;
        assert.deepEqual([group.name, group.retentionInDays, group.region], ["/aws/lambda/patching-ssm-role-enforcer", 30, "eu-west-2"]);
        assert.equal(await promiseOf(component.functionArn), FUNCTION_ARN);
        assert.equal(await promiseOf(component.functionName), "patching-ssm-role-enforcer");
        assert.equal(await promiseOf(component.roleArn), `arn:aws:iam::${ACCOUNT}:role/patching-ssm-role-enforcer-eu-west-2`);
    });

    it("triggers it from a running-state rule and a schedule, each allowed to invoke it by its own ARN only", () => {
        const expected = { running: { eventPattern: JSON.stringify(instanceRunningEventPattern()) }, sweep: { scheduleExpression: "rate(12 hours)" } };
        for (const [key, trigger] of Object.entries(expected)) {
            const rule = get("aws:cloudwatch/eventRule:EventRule", `enforcer-${key}-rule`).inputs;
            assert.deepEqual({ name: rule.name, region: rule.region, eventPattern: rule.eventPattern, scheduleExpression: rule.scheduleExpression }, { name: `patching-ssm-role-enforcer-${key}`, region: "eu-west-2", eventPattern: undefined, scheduleExpression: undefined, ...trigger });
            const target = get("aws:cloudwatch/eventTarget:EventTarget", `enforcer-${key}-target`).inputs;
            assert.deepEqual([target.rule, target.arn, target.region], [rule.name, FUNCTION_ARN, "eu-west-2"]);
            const permission = get("aws:lambda/permission:Permission", `enforcer-${key}-permission`).inputs;
            assert.deepEqual(
                { ...permission },
                { action: "lambda:InvokeFunction", function: "patching-ssm-role-enforcer", principal: "events.amazonaws.com", region: "eu-west-2", sourceArn: mockArn("aws:cloudwatch/eventRule:EventRule", `patching-ssm-role-enforcer-${key}`, ACCOUNT, "eu-west-2") },
            );
        }
    });

    it("gives the role the trust and inline policy the pure builders produce, and every child a unique name under the component", () => {
        const role = get("aws:iam/role:Role", "enforcer-role").inputs;
        assert.deepEqual(JSON.parse(role.assumeRolePolicy as string), enforcerTrust(ACCOUNT));
        const inline = get("aws:iam/rolePolicy:RolePolicy", "enforcer-role-policy").inputs;
        const policy = enforcerRolePolicy({
            accountId: ACCOUNT,
            region: "eu-west-2",
            instanceRoleName: "patching-managed-node",
            functionName: "patching-ssm-role-enforcer",
            ssmPolicyArn: CORE,
            instanceRoleTagKey: "ssm-instance",
            instanceRolePath: "/instances/",
        });
        assert.deepEqual([inline.role, JSON.parse(inline.policy as string)], ["patching-ssm-role-enforcer-eu-west-2", policy]);
        const parent = get("patching:nodes:SsmRoleEnforcer", "enforcer").urn;
        const children = recorder.resources.filter((r) => r.parent === parent);
        assert.equal(children.length, 10);
        assert.equal(new Set(children.map((r) => `${r.type}::${r.name}`)).size, 10);
    });

    it("registers the same resources in preview", async () => {
        const before = recorder.resources.map((r) => `${r.type}::${r.name}`);
        const preview = await runComponent(true);
        assert.deepEqual(preview.recorder.resources.map((r) => `${r.type}::${r.name}`).sort(), [...before].sort());
    });
});
