import { strict as assert } from "node:assert";
import { DescribeIamInstanceProfileAssociationsCommand, EC2Client, RunInstancesCommand, StopInstancesCommand } from "@aws-sdk/client-ec2";
import {
    AddRoleToInstanceProfileCommand,
    AttachRolePolicyCommand,
    CreateInstanceProfileCommand,
    CreatePolicyCommand,
    CreateRoleCommand,
    DeleteInstanceProfileCommand,
    IAMClient,
    ListAttachedRolePoliciesCommand,
    RemoveRoleFromInstanceProfileCommand,
} from "@aws-sdk/client-iam";
import { enforce, type EnforcementSummary, type LogEntry } from "../../lambda/ssmRoleEnforcer/enforce";
import { handler, resetClients } from "../../lambda/ssmRoleEnforcer/handler";
import { ENFORCER_DEFAULTS, ENFORCER_ENV, readSettings, roleEligibility, SSM_POLICIES, type EnforcerSettings } from "../../lambda/ssmRoleEnforcer/settings";
import { findMotoServer, MOTO_CREDENTIALS, startMoto, type MotoServer } from "../../tools/moto";

const REGION = "us-east-1";
/** One of moto's built-in AMIs (moto/ec2/resources/amis.json). */
const AMI = "ami-1e749f67";
const OPT_OUT = ENFORCER_DEFAULTS.optOutTagKey;
const NODE_PROFILE = "patching-managed-node";
const policy = (name: string) => `arn:aws:iam::aws:policy/${name}`;
const ROLE_TAG = ENFORCER_DEFAULTS.instanceRoleTagKey;
const ROLE_PATH = "/instances/";
const SETTINGS: EnforcerSettings = { instanceProfileName: NODE_PROFILE, optOutTagKey: OPT_OUT, ssmPolicyArn: SSM_POLICIES.managedInstanceCore, instanceRoleTagKey: ROLE_TAG, instanceRolePath: ROLE_PATH, pageSize: 5 };
const ACCOUNT = "123456789012";

/** A trust policy allowing sts:AssumeRole to the given principals (one statement). */
const trustOf = (principal: Record<string, string | string[]>) => ({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: principal, Action: "sts:AssumeRole" }] });
const EC2_TRUST = trustOf({ Service: "ec2.amazonaws.com" });
/** The instance-role tag that puts a role in scope. */
const IN_SCOPE = [{ Key: ROLE_TAG, Value: "true" }];

describe("lambda/ssmRoleEnforcer roleEligibility: only in-scope roles trusted by EC2 alone", () => {
    const role = (trust: object, extra: { RoleName?: string; Path?: string; Tags?: { Key: string; Value: string }[] } = {}) => ({
        RoleName: "app-role",
        Path: "/",
        Tags: IN_SCOPE,
        // GetRole returns the trust policy URL-encoded.
        AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(trust)),
        ...extra,
    });
    const CASES: [string, ReturnType<typeof role>, string | undefined][] = [
        ["tagged, trusted by EC2 only", role(EC2_TRUST), undefined],
        ["EC2 as a one-element list", role(trustOf({ Service: ["ec2.amazonaws.com"] })), undefined],
        ["untagged but under the path", role(EC2_TRUST, { Path: "/instances/web/", Tags: [] }), undefined],
        ["trusted by EC2 and Lambda", role(trustOf({ Service: ["ec2.amazonaws.com", "lambda.amazonaws.com"] })), "not an instance role: its trust policy allows Service:ec2.amazonaws.com, Service:lambda.amazonaws.com, not only ec2.amazonaws.com"],
        ["trusted by an account root", role(trustOf({ AWS: `arn:aws:iam::${ACCOUNT}:root` })), `not an instance role: its trust policy allows AWS:arn:aws:iam::${ACCOUNT}:root, not only ec2.amazonaws.com`],
        ["EC2 plus a second statement for an account", role({ Version: "2012-10-17", Statement: [...EC2_TRUST.Statement, { Effect: "Allow", Principal: { AWS: "111111111111" }, Action: "sts:AssumeRole" }] }), "not an instance role: its trust policy allows AWS:111111111111, not only ec2.amazonaws.com"],
        ["Principal *", role({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "sts:AssumeRole" }] }), "not an instance role: its trust policy allows *, not only ec2.amazonaws.com"],
        ["NotPrincipal", role({ Version: "2012-10-17", Statement: [{ Effect: "Allow", NotPrincipal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }] }), "not an instance role: its trust policy allows *, not only ec2.amazonaws.com"],
        ["only a Deny", role({ Version: "2012-10-17", Statement: [{ Effect: "Deny", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }] }), "not an instance role: its trust policy allows no one"],
        ["OrganizationAccountAccessRole, even tagged and EC2-trusted", role(EC2_TRUST, { RoleName: "OrganizationAccountAccessRole" }), "protected administrator or AWS-owned role"],
        ["an AWS-reserved path", role(EC2_TRUST, { Path: "/aws-reserved/sso.amazonaws.com/" }), "protected administrator or AWS-owned role"],
        ["untagged, outside the path", role(EC2_TRUST, { Tags: [] }), "not in scope: no tag patching:ssm-instance-role=true and its path / is not under /instances/"],
        ["tag value not exactly true", role(EC2_TRUST, { Tags: [{ Key: ROLE_TAG, Value: "True" }] }), "not in scope: no tag patching:ssm-instance-role=true and its path / is not under /instances/"],
    ];
    for (const [label, facts, reason] of CASES) {
        it(label, () => {
            assert.deepEqual(roleEligibility(facts, SETTINGS), reason === undefined ? { eligible: true } : { eligible: false, reason });
        });
    }

    it("without a configured path only the tag puts a role in scope", () => {
        const settings = { instanceRoleTagKey: ROLE_TAG };
        assert.deepEqual(roleEligibility(role(EC2_TRUST, { Path: "/instances/", Tags: [] }), settings), { eligible: false, reason: "not in scope: no tag patching:ssm-instance-role=true" });
        assert.deepEqual(roleEligibility(role(EC2_TRUST), settings), { eligible: true });
    });
});

describe("tools/moto", () => {
    it("fails loudly, never skips, when moto_server is not on PATH", () => {
        assert.throws(() => findMotoServer("/nonexistent-bin"), /moto_server not found on PATH: install Python moto\[server\]/);
    });
});

describe("lambda/ssmRoleEnforcer against moto_server (EC2 + IAM emulator on loopback)", function () {
    this.timeout(60_000);
    let moto: MotoServer;
    let ec2: EC2Client;
    let iam: IAMClient;
    const calls: { name: string; input: Record<string, unknown> }[] = [];
    const ids: Record<string, string> = {};

    /** Clients pointed at moto; every command and its input is recorded (proves pagination happened). */
    function clients(): { ec2: EC2Client; iam: IAMClient } {
        const config = { endpoint: moto.endpoint, region: REGION, credentials: MOTO_CREDENTIALS };
        const made = { ec2: new EC2Client(config), iam: new IAMClient(config) };
        const options = { step: "initialize", name: "recordCalls" } as const;
        const record = (name = "?", input: object) => calls.push({ name: name.replace(/Command$/, ""), input: { ...input } });
        made.ec2.middlewareStack.add((next, context) => (args) => (record(context.commandName, args.input), next(args)), options);
        made.iam.middlewareStack.add((next, context) => (args) => (record(context.commandName, args.input), next(args)), options);
        return made;
    }

    /** A role (`<name>-role` unless `roleName`) in a profile `<name>`; by default EC2-trusted and tagged in scope. */
    async function roleWithProfile(name: string, policies: string[], options: { trust?: object; tags?: { Key: string; Value: string }[]; path?: string; roleName?: string } = {}): Promise<void> {
        const roleName = options.roleName ?? `${name}-role`;
        const tags = options.tags ?? IN_SCOPE;
        await iam.send(
            new CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: JSON.stringify(options.trust ?? EC2_TRUST), ...(options.path ? { Path: options.path } : {}), ...(tags.length > 0 ? { Tags: tags } : {}) }),
        );
        for (const name_ of policies) {
            await iam.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: policy(name_) }));
        }
        await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: name }));
        await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: name, RoleName: roleName }));
    }

    async function launch(key: string, profile?: string, optOut?: string): Promise<string> {
        const { Instances } = await ec2.send(
            new RunInstancesCommand({
                ImageId: AMI,
                InstanceType: "t3.micro",
                MinCount: 1,
                MaxCount: 1,
                ...(profile ? { IamInstanceProfile: { Name: profile } } : {}),
                ...(optOut === undefined ? {} : { TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: OPT_OUT, Value: optOut }] }] }),
            }),
        );
        ids[key] = Instances?.[0].InstanceId ?? assert.fail("RunInstances returned no instance");
        return ids[key];
    }

    const attached = async (role: string) => ((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: role }))).AttachedPolicies ?? []).map((p) => p.PolicyArn).sort();
    const profileOf = async (key: string) =>
        (await ec2.send(new DescribeIamInstanceProfileAssociationsCommand({ Filters: [{ Name: "instance-id", Values: [ids[key]] }] }))).IamInstanceProfileAssociations?.map((a) => a.IamInstanceProfile?.Arn);
    const profileArn = (name: string) => `arn:aws:iam::123456789012:instance-profile/${name}`;

    before(async () => {
        moto = await startMoto();
        ({ ec2, iam } = clients());
        await roleWithProfile(NODE_PROFILE, ["AmazonSSMManagedInstanceCore"]);
        await roleWithProfile("app-lacking", ["AmazonS3ReadOnlyAccess"]);
        await roleWithProfile("app-shared", []);
        // Five policies sort before AmazonSSMManagedInstanceCore: with page size 5 it is on page 2.
        await roleWithProfile("app-compliant", ["AmazonDynamoDBReadOnlyAccess", "AmazonEC2ReadOnlyAccess", "AmazonRDSReadOnlyAccess", "AmazonS3ReadOnlyAccess", "AmazonSQSReadOnlyAccess", "AmazonSSMManagedInstanceCore"]);
        await roleWithProfile("app-dhmc", ["AmazonSSMManagedEC2InstanceDefaultPolicy"]);
        await roleWithProfile("app-opted-out", []);
        await roleWithProfile("app-broken", []);
        // Issue 14 (M5): roles lacking SSM permissions that the enforcer must NOT touch, each
        // tagged in scope so only the rule under test stops it (except "untagged" / "wrong tag").
        await roleWithProfile("org-access", ["AdministratorAccess"], { roleName: "OrganizationAccountAccessRole", trust: trustOf({ AWS: `arn:aws:iam::${ACCOUNT}:root` }) });
        await roleWithProfile("ec2-and-lambda", [], { trust: trustOf({ Service: ["ec2.amazonaws.com", "lambda.amazonaws.com"] }) });
        await roleWithProfile("untagged", [], { tags: [] });
        await roleWithProfile("wrong-tag", [], { tags: [{ Key: ROLE_TAG, Value: "yes" }] });
        // ...and one in scope through its path alone.
        await roleWithProfile("under-path", [], { tags: [], path: ROLE_PATH });
        await launch("bare");
        await launch("optedOut", undefined, "yes");
        await launch("optOutFalse", undefined, "False");
        await launch("lacking", "app-lacking");
        await launch("shared1", "app-shared");
        await launch("shared2", "app-shared");
        await launch("compliant", "app-compliant");
        await launch("dhmc", "app-dhmc");
        await launch("managedNode", NODE_PROFILE);
        await launch("optedOutLacking", "app-opted-out", "");
        await launch("broken", "app-broken");
        await launch("orgAccess", "org-access");
        await launch("ec2AndLambda", "ec2-and-lambda");
        await launch("untagged", "untagged");
        await launch("wrongTag", "wrong-tag");
        await launch("underPath", "under-path");
        // The broken instance keeps an association to a profile that no longer exists.
        await iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: "app-broken", RoleName: "app-broken-role" }));
        await iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: "app-broken" }));
        await ec2.send(new StopInstancesCommand({ InstanceIds: [await launch("stopped")] }));
    });

    after(async () => {
        await moto?.stop();
    });

    let first: EnforcementSummary;
    const firstLog: LogEntry[] = [];

    it("fixes what is missing, once per role, only on in-scope EC2-only roles, skips opted-out instances, and reports the broken one without stopping", async () => {
        calls.length = 0;
        first = await enforce(clients(), SETTINGS, "all", (entry) => firstLog.push(entry));
        assert.deepEqual({ ...first, errors: first.errors.map((e) => e.instanceId) }, {
            examined: 16,
            profilesAssociated: 2,
            policiesAttached: 3,
            optedOut: 2,
            alreadyCompliant: 4,
            rolesNotEligible: 4,
            errors: [ids.broken],
        });
        assert.match(first.errors[0].message, /^NoSuchEntity/);
        const lines = (action: string) => firstLog.filter((entry) => entry.action === action);
        assert.deepEqual(lines("associate-instance-profile").map((e) => [e.instanceId, e.instanceProfile]).sort(), [[ids.bare, NODE_PROFILE], [ids.optOutFalse, NODE_PROFILE]].sort());
        assert.deepEqual(lines("attach-role-policy").map((e) => e.role).sort(), ["app-lacking-role", "app-shared-role", "under-path-role"], "the shared role is attached once");
        assert.deepEqual(
            lines("skip-role-not-eligible").map((e) => [e.instanceId, e.role, e.reason]).sort(),
            [
                [ids.orgAccess, "OrganizationAccountAccessRole", "protected administrator or AWS-owned role"],
                [ids.ec2AndLambda, "ec2-and-lambda-role", "not an instance role: its trust policy allows Service:ec2.amazonaws.com, Service:lambda.amazonaws.com, not only ec2.amazonaws.com"],
                [ids.untagged, "untagged-role", "not in scope: no tag patching:ssm-instance-role=true and its path / is not under /instances/"],
                [ids.wrongTag, "wrong-tag-role", "not in scope: no tag patching:ssm-instance-role=true and its path / is not under /instances/"],
            ].sort(),
        );
        assert.deepEqual(lines("skip-opted-out").map((e) => [e.instanceId, e.tagValue]).sort(), [[ids.optedOut, "yes"], [ids.optedOutLacking, ""]].sort());
        assert.deepEqual(lines("error").map((e) => e.instanceId), [ids.broken]);
        assert.equal(firstLog.length, 12, "one line per change, skip and error; nothing for compliant instances");
        const made = (command: string) => calls.filter((call) => call.name === command);
        assert.deepEqual(made("DescribeInstances").map((call) => call.input.MaxResults), [5, 5, 5, 5], "16 running instances in pages of 5");
        // moto reads "MaxItems" for this call and ignores MaxResults, so it answers in one page;
        // what can be checked here is that the page size was asked for.
        assert.deepEqual(made("DescribeIamInstanceProfileAssociations").map((call) => call.input.MaxResults), [5]);
        assert.equal(made("ListAttachedRolePolicies").length, 10, "app-compliant (2 pages) + 8 other roles, each once; not the program's own managed-node profile's role");
        // The trust/path/tag check runs only where something would be attached.
        assert.deepEqual(made("GetRole").map((call) => call.input.RoleName).sort(), ["OrganizationAccountAccessRole", "app-lacking-role", "app-shared-role", "ec2-and-lambda-role", "under-path-role", "untagged-role", "wrong-tag-role"]);
        assert.deepEqual(made("AttachRolePolicy").map((call) => call.input.RoleName).sort(), ["app-lacking-role", "app-shared-role", "under-path-role"], "never attempted on the others");
    });

    it("leaves the state as read back from moto: profiles associated, policy attached, the rest untouched", async () => {
        for (const key of ["bare", "optOutFalse"]) {
            assert.deepEqual(await profileOf(key), [profileArn(NODE_PROFILE)], key);
        }
        assert.deepEqual(await profileOf("optedOut"), [], "opted out: still no profile");
        assert.deepEqual(await profileOf("stopped"), [], "stopped instances are not examined");
        assert.deepEqual(await profileOf("lacking"), [profileArn("app-lacking")], "an existing profile is never replaced");
        assert.deepEqual(await attached("app-lacking-role"), [policy("AmazonS3ReadOnlyAccess"), SSM_POLICIES.managedInstanceCore]);
        assert.deepEqual(await attached("app-shared-role"), [SSM_POLICIES.managedInstanceCore]);
        assert.deepEqual(await attached("app-opted-out-role"), [], "opted out: role untouched although it is an in-scope instance role");
        assert.deepEqual(await attached("under-path-role"), [SSM_POLICIES.managedInstanceCore], "in scope by its path");
        assert.deepEqual(await attached("OrganizationAccountAccessRole"), [policy("AdministratorAccess")], "an administrator role trusted by the account root is never touched");
        for (const role of ["ec2-and-lambda-role", "untagged-role", "wrong-tag-role"]) {
            assert.deepEqual(await attached(role), [], role);
        }
        assert.deepEqual(await attached("app-dhmc-role"), [SSM_POLICIES.defaultEc2InstancePolicy], "the DHMC policy counts as SSM permissions");
        assert.equal((await attached("app-compliant-role")).length, 6);
    });

    it("changes nothing on a second run", async () => {
        const log: LogEntry[] = [];
        const second = await enforce(clients(), SETTINGS, "all", (entry) => log.push(entry));
        assert.deepEqual({ ...second, errors: second.errors.map((e) => e.instanceId) }, { examined: 16, profilesAssociated: 0, policiesAttached: 0, optedOut: 2, alreadyCompliant: 9, rolesNotEligible: 4, errors: [ids.broken] });
        assert.deepEqual(log.map((entry) => entry.action).sort(), ["error", "skip-opted-out", "skip-opted-out", ...Array(4).fill("skip-role-not-eligible")]);
    });

    it("handles named instances: a failing API call on one does not stop the next; an unknown id is an error, not a crash", async () => {
        const [failing, healthy] = [await launch("failing"), await launch("healthy")];
        const wrapped = clients();
        wrapped.ec2.middlewareStack.add(
            (next, context) => async (args) => {
                if (context.commandName === "AssociateIamInstanceProfileCommand" && (args.input as { InstanceId?: string }).InstanceId === failing) {
                    throw Object.assign(new Error("injected failure"), { name: "InjectedError" });
                }
                return next(args);
            },
            { step: "initialize", name: "failOneInstance" },
        );
        const summary = await enforce(wrapped, SETTINGS, [failing, healthy], () => undefined);
        assert.deepEqual(summary.errors, [{ instanceId: failing, message: "InjectedError: injected failure" }]);
        assert.equal(summary.profilesAssociated, 1);
        assert.deepEqual(await profileOf("healthy"), [profileArn(NODE_PROFILE)]);
        assert.deepEqual(await profileOf("failing"), []);
        const unknown = await enforce(clients(), SETTINGS, ["i-0123456789abcdef0"], () => undefined);
        assert.equal(unknown.examined, 0);
        assert.deepEqual(unknown.errors.map((e) => [e.instanceId, /InvalidInstanceID\.NotFound/.test(e.message)]), [["i-0123456789abcdef0", true]]);
    });

    describe("the real handler (clients from the environment, AWS_ENDPOINT_URL → moto)", () => {
        const saved = { ...process.env };
        const written: string[] = [];
        const write = process.stdout.write.bind(process.stdout);
        /** Runs the handler with stdout captured (only around the call: mocha reports on stdout too). */
        async function quietly<T>(run: () => Promise<T>): Promise<T> {
            written.length = 0;
            process.stdout.write = ((chunk: string) => (written.push(chunk), true)) as typeof process.stdout.write;
            try {
                return await run();
            } finally {
                process.stdout.write = write;
            }
        }

        beforeEach(() => {
            Object.assign(process.env, {
                AWS_ENDPOINT_URL: moto.endpoint,
                AWS_REGION: REGION,
                AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
                AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
                INSTANCE_PROFILE_NAME: NODE_PROFILE,
                OPT_OUT_TAG_KEY: OPT_OUT,
            });
            delete process.env.AWS_PROFILE;
            resetClients();
        });
        afterEach(() => {
            process.env = { ...saved };
            resetClients();
        });
        const event = (detailType: string, source: string, detail: object) => ({ version: "0", id: "e", "detail-type": detailType, source, account: "123456789012", region: REGION, detail });

        it("a running state change fixes that one instance and logs JSON lines", async () => {
            const id = await launch("eventDriven");
            const summary = await quietly(() => handler(event("EC2 Instance State-change Notification", "aws.ec2", { "instance-id": id, state: "running" }), { awsRequestId: "req-1" }));
            assert.deepEqual({ ...summary }, { examined: 1, profilesAssociated: 1, policiesAttached: 0, optedOut: 0, alreadyCompliant: 0, rolesNotEligible: 0, errors: [] });
            assert.deepEqual(await profileOf("eventDriven"), [profileArn(NODE_PROFILE)]);
            const lines = written.join("").trim().split("\n").map((line) => JSON.parse(line));
            assert.deepEqual(lines.map((line) => [line.action, line.instanceId, line.requestId]), [["associate-instance-profile", id, "req-1"], ["summary", undefined, "req-1"]]);
        });

        it("a scheduled sweep throws after the others are done when one instance failed; other events are ignored", async () => {
            const id = await launch("lateArrival");
            await assert.rejects(quietly(() => handler(event("Scheduled Event", "aws.events", {}))), new RegExp(`failed for 1 instance\\(s\\): ${ids.broken}$`));
            assert.deepEqual(await profileOf("lateArrival"), [profileArn(NODE_PROFILE)], `${id} fixed despite the failures`);
            const ignored = await quietly(() => handler(event("EC2 Instance State-change Notification", "aws.ec2", { "instance-id": id, state: "stopped" })));
            assert.equal(ignored.examined, 0);
            assert.deepEqual(JSON.parse(written.join("")), { action: "ignore-event", source: "aws.ec2", detailType: "EC2 Instance State-change Notification" });
        });
    });
});

describe("lambda/ssmRoleEnforcer attaches the log-writer policy too (issue 15), against moto_server", function () {
    this.timeout(60_000);
    let moto: MotoServer;
    let iam: IAMClient;
    let ec2: EC2Client;
    const LOG_WRITER = `arn:aws:iam::${ACCOUNT}:policy/patching-log-writer`;
    const WITH_LOG_WRITER: EnforcerSettings = { ...SETTINGS, logWriterPolicyArn: LOG_WRITER };
    const calls: { name: string; role?: unknown; policy?: unknown }[] = [];
    const ids: Record<string, string> = {};

    function clients(): { ec2: EC2Client; iam: IAMClient } {
        const config = { endpoint: moto.endpoint, region: REGION, credentials: MOTO_CREDENTIALS };
        const made = { ec2: new EC2Client(config), iam: new IAMClient(config) };
        made.iam.middlewareStack.add(
            (next, context) => (args) => {
                const input = args.input as { RoleName?: string; PolicyArn?: string };
                calls.push({ name: (context.commandName ?? "?").replace(/Command$/, ""), role: input.RoleName, policy: input.PolicyArn });
                return next(args);
            },
            { step: "initialize", name: "recordCalls" },
        );
        return made;
    }
    async function instanceWithRole(key: string, policies: string[], options: { roleName?: string; trust?: object; tags?: { Key: string; Value: string }[] } = {}): Promise<void> {
        const roleName = options.roleName ?? `${key}-role`;
        const tags = options.tags ?? IN_SCOPE;
        await iam.send(new CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: JSON.stringify(options.trust ?? EC2_TRUST), ...(tags.length > 0 ? { Tags: tags } : {}) }));
        for (const arn of policies) {
            await iam.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: arn }));
        }
        await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: key }));
        await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: key, RoleName: roleName }));
        const { Instances } = await ec2.send(new RunInstancesCommand({ ImageId: AMI, InstanceType: "t3.micro", MinCount: 1, MaxCount: 1, IamInstanceProfile: { Name: key } }));
        ids[key] = Instances?.[0].InstanceId ?? assert.fail("RunInstances returned no instance");
    }
    const attached = async (role: string) => ((await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: role }))).AttachedPolicies ?? []).map((p) => p.PolicyArn).sort();
    const CORE = SSM_POLICIES.managedInstanceCore;

    before(async () => {
        moto = await startMoto();
        ({ ec2, iam } = clients());
        const created = await iam.send(new CreatePolicyCommand({ PolicyName: "patching-log-writer", PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:PutObject", Resource: "arn:aws:s3:::patching-patch-logs-*/*" }] }) }));
        assert.equal(created.Policy?.Arn, LOG_WRITER);
        await instanceWithRole("lacking", []);
        await instanceWithRole("has-core", [CORE]);
        await instanceWithRole("complete", [CORE, LOG_WRITER]);
        await instanceWithRole("core-untagged", [CORE], { tags: [] });
        await instanceWithRole("org-access", [policy("AdministratorAccess")], { roleName: "OrganizationAccountAccessRole", trust: trustOf({ AWS: `arn:aws:iam::${ACCOUNT}:root` }) });
        await instanceWithRole("org-access-core", [CORE], { roleName: "AWSControlTowerExecution" });
        // The program's own profile: Core plus an inline log-writer copy; never given the managed one.
        await instanceWithRole(NODE_PROFILE, [CORE], { roleName: "patching-managed-node", tags: [] });
    });
    after(async () => {
        await moto?.stop();
    });

    it("reads LOG_WRITER_POLICY_ARN from the environment (absent: none)", () => {
        assert.equal(readSettings({ [ENFORCER_ENV.instanceProfileName]: NODE_PROFILE, [ENFORCER_ENV.logWriterPolicyArn]: ` ${LOG_WRITER} ` }).logWriterPolicyArn, LOG_WRITER);
        assert.equal("logWriterPolicyArn" in readSettings({ [ENFORCER_ENV.instanceProfileName]: NODE_PROFILE }), false);
    });

    it("attaches Core and the log writer to in-scope roles, the log writer alone where Core is there, nothing to protected or out-of-scope roles", async () => {
        calls.length = 0;
        const log: LogEntry[] = [];
        const summary = await enforce(clients(), WITH_LOG_WRITER, "all", (entry) => log.push(entry));
        assert.equal(calls.filter((call) => call.role === "patching-managed-node").length, 0, "the program's own role is not even read");
        assert.deepEqual(summary, { examined: 7, profilesAssociated: 0, policiesAttached: 2, optedOut: 0, alreadyCompliant: 4, rolesNotEligible: 1, errors: [] });
        assert.deepEqual(await attached("lacking-role"), [LOG_WRITER, CORE].sort());
        assert.deepEqual(await attached("has-core-role"), [LOG_WRITER, CORE].sort());
        assert.deepEqual(await attached("core-untagged-role"), [CORE], "out of scope: the log writer is not attached");
        assert.deepEqual(await attached("OrganizationAccountAccessRole"), [policy("AdministratorAccess")]);
        assert.deepEqual(await attached("AWSControlTowerExecution"), [CORE], "protected, even tagged and EC2-trusted");
        assert.deepEqual(await attached("patching-managed-node"), [CORE], "the program's own role keeps its inline copy");
        const attaches = calls.filter((call) => call.name === "AttachRolePolicy").map((call) => `${String(call.role)} ${String(call.policy)}`).sort();
        assert.deepEqual(attaches, [`has-core-role ${LOG_WRITER}`, `lacking-role ${CORE}`, `lacking-role ${LOG_WRITER}`].sort(), "never attempted elsewhere");
        const lines = (action: string) => log.filter((entry) => entry.action === action).map((entry) => [entry.instanceId, entry.role, entry.policyArn ?? entry.reason]);
        assert.deepEqual(lines("attach-role-policy").sort(), [[ids["has-core"], "has-core-role", LOG_WRITER], [ids.lacking, "lacking-role", CORE], [ids.lacking, "lacking-role", LOG_WRITER]].sort());
        assert.deepEqual(lines("skip-log-writer-role-not-eligible").sort(), [
            [ids["core-untagged"], "core-untagged-role", "not in scope: no tag patching:ssm-instance-role=true and its path / is not under /instances/"],
            [ids["org-access-core"], "AWSControlTowerExecution", "protected administrator or AWS-owned role"],
        ].sort());
        assert.deepEqual(lines("skip-role-not-eligible"), [[ids["org-access"], "OrganizationAccountAccessRole", "protected administrator or AWS-owned role"]]);
    });

    it("changes nothing on a second run; without logWriterPolicyArn only Core is ever attached", async () => {
        calls.length = 0;
        const second = await enforce(clients(), WITH_LOG_WRITER, "all", () => undefined);
        assert.deepEqual({ ...second, policiesAttached: second.policiesAttached, alreadyCompliant: second.alreadyCompliant }, { examined: 7, profilesAssociated: 0, policiesAttached: 0, optedOut: 0, alreadyCompliant: 6, rolesNotEligible: 1, errors: [] });
        assert.equal(calls.filter((call) => call.name === "AttachRolePolicy").length, 0);
        await instanceWithRole("core-only", []);
        const coreOnly = await enforce(clients(), SETTINGS, [ids["core-only"]], () => undefined);
        assert.equal(coreOnly.policiesAttached, 1);
        assert.deepEqual(await attached("core-only-role"), [CORE]);
    });
});
