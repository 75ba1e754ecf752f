import { strict as assert } from "node:assert";
import {
    organizationTargetLocationProblems,
    organizationTargetLocations,
    runbookFor,
    SCHEDULER_TARGET_ARN,
    schedulerRolePolicy,
    schedulerRoleTrust,
    startAutomationExecutionInput,
    targetLocationProblems,
    targetLocations,
    type PatchRunRequest,
} from "../../../components/schedules/scheduleDocuments";
import { validatePatchSchedulesArgs, type PatchSchedulesArgs } from "../../../components/schedules/patchSchedules";
import { decide } from "../../support/iamSimulation";

const RATE = { maxConcurrency: "10%", maxErrors: "5%", targetLocationMaxConcurrency: "2", targetLocationMaxErrors: "1" };
const ADMIN = "arn:aws:iam::111111111111:role/AWS-SystemsManager-AutomationAdministrationRole";

describe("components/scheduleDocuments: what the schedules send to StartAutomationExecution", () => {
    it("groups accounts with the same Regions into one target location and never adds a Region an account lacks", () => {
        const locations = targetLocations(
            [
                { accountId: "333333333333", regions: ["us-west-2", "eu-west-2"] },
                { accountId: "111111111111", regions: ["eu-west-2", "us-west-2"] },
                { accountId: "555555555555", regions: ["us-west-2"] },
            ],
            "Exec",
            RATE,
        );
        assert.deepEqual(locations, [
            { Accounts: ["111111111111", "333333333333"], Regions: ["eu-west-2", "us-west-2"], ExecutionRoleName: "Exec", TargetLocationMaxConcurrency: "2", TargetLocationMaxErrors: "1" },
            { Accounts: ["555555555555"], Regions: ["us-west-2"], ExecutionRoleName: "Exec", TargetLocationMaxConcurrency: "2", TargetLocationMaxErrors: "1" },
        ]);
    });

    it("splits more than 50 accounts into several entries and reports more than 100 locations", () => {
        const many = Array.from({ length: 120 }, (_, i) => ({ accountId: String(100000000000 + i), regions: ["us-west-2"] }));
        assert.deepEqual(targetLocations(many, "Exec", RATE).map((l) => l.Accounts.length), [50, 50, 20]);
        assert.deepEqual(targetLocationProblems(many), ["120 (account, Region) locations exceed the 100 one Automation execution may target"]);
        assert.deepEqual(targetLocationProblems([]), ["there is no (account, Region) to run in"]);
    });

    // Issue 21: the chunking and the 100-location limit at their boundaries (an entry with
    // Accounts: [] would be rejected by the API; exactly 100 locations must be accepted).
    const accounts = (count: number, regions = ["us-west-2"]) => Array.from({ length: count }, (_, i) => ({ accountId: String(100000000000 + i), regions }));
    for (const [count, sizes] of [[49, [49]], [50, [50]], [51, [50, 1]], [99, [50, 49]], [100, [50, 50]], [101, [50, 50, 1]]] as const) {
        it(`chunks ${count} accounts into entries of ${sizes.join(" + ")}, never an empty one`, () => {
            const entries = targetLocations(accounts(count), "Exec", RATE);
            assert.deepEqual(entries.map((l) => l.Accounts.length), sizes);
            assert.equal(new Set(entries.flatMap((l) => l.Accounts)).size, count, "every account exactly once");
        });
    }
    for (const [count, accepted] of [[99, true], [100, true], [101, false]] as const) {
        it(`${accepted ? "accepts" : "refuses"} ${count} (account, Region) locations`, () => {
            assert.deepEqual(targetLocationProblems(accounts(count)), accepted ? [] : [`${count} (account, Region) locations exceed the 100 one Automation execution may target`]);
        });
    }
    it("counts locations as accounts × their Regions: 50 accounts in 2 Regions are 100, one more Region is too many", () => {
        assert.deepEqual(targetLocationProblems(accounts(50, ["us-west-2", "eu-west-2"])), []);
        assert.equal(targetLocationProblems([...accounts(50, ["us-west-2", "eu-west-2"]), { accountId: "999999999999", regions: ["us-east-1"] }]).length, 1);
    });

    it("targets organizational units (issue 16): OU ids as Accounts, child OUs included, configured accounts excluded", () => {
        const locations = organizationTargetLocations(
            [
                { organizationalUnits: ["ou-ab12-22222222", "ou-ab12-11111111"], regions: ["us-west-2", "eu-west-2"], excludeAccounts: ["222222222222", "111111111111"] },
                { organizationalUnits: ["r-ab12"], regions: ["us-east-1"], excludeAccounts: [] },
            ],
            "Exec",
            RATE,
        );
        assert.deepEqual(locations, [
            {
                Accounts: ["ou-ab12-11111111", "ou-ab12-22222222"],
                Regions: ["eu-west-2", "us-west-2"],
                ExecutionRoleName: "Exec",
                TargetLocationMaxConcurrency: "2",
                TargetLocationMaxErrors: "1",
                ExcludeAccounts: ["111111111111", "222222222222"],
                IncludeChildOrganizationUnits: true,
            },
            // ExcludeAccounts takes 1-5000 ids: an empty list is left out, not sent.
            { Accounts: ["r-ab12"], Regions: ["us-east-1"], ExecutionRoleName: "Exec", TargetLocationMaxConcurrency: "2", TargetLocationMaxErrors: "1", IncludeChildOrganizationUnits: true },
        ]);
    });

    it("chunks OU lists at 50 per location and reports more than 100 locations, Region and exclusion limits", () => {
        const units = Array.from({ length: 120 }, (_, i) => `ou-ab12-${String(i).padStart(8, "0")}`);
        const target = { organizationalUnits: units, regions: ["us-west-2"], excludeAccounts: [] };
        assert.deepEqual(organizationTargetLocations([target], "Exec", RATE).map((l) => l.Accounts.length), [50, 50, 20]);
        assert.deepEqual(organizationTargetLocationProblems([target], 98), ["3 organizational-unit and 98 account locations exceed the 100 target locations of one Automation execution"]);
        assert.deepEqual(organizationTargetLocationProblems([target], 97), []);
        const regions = Array.from({ length: 51 }, (_, i) => `r${i}`);
        assert.deepEqual(organizationTargetLocationProblems([{ organizationalUnits: ["ou-ab12-11111111"], regions, excludeAccounts: [] }]), ["ou-ab12-11111111: 51 Regions; a target location takes 1-50"]);
        const excluded = Array.from({ length: 5001 }, (_, i) => String(100000000000 + i));
        assert.deepEqual(organizationTargetLocationProblems([{ organizationalUnits: ["ou-ab12-11111111"], regions: ["us-west-2"], excludeAccounts: excluded }]), ["ou-ab12-11111111: more than 5000 excluded accounts"]);
    });

    it("runs a patch group's OU locations after its configured ones in the same request", () => {
        const withOrganization = startAutomationExecutionInput({
            ...request,
            organizationTargets: [{ organizationalUnits: ["ou-ab12-11111111"], regions: ["us-west-2"], excludeAccounts: ["222222222222"] }],
        }) as { TargetLocations: { Accounts: string[]; ExcludeAccounts?: string[] }[] };
        assert.deepEqual(withOrganization.TargetLocations.map((l) => [l.Accounts, l.ExcludeAccounts]), [
            [["222222222222"], undefined],
            [["ou-ab12-11111111"], ["222222222222"]],
        ]);
    });

    const request: PatchRunRequest = {
        documentName: "patching-RunPatchBaseline",
        runbook: "RunPatchBaseline",
        patchGroup: "Linux",
        resourceGroup: "Linux",
        operation: "Install",
        rebootOption: "RebootIfNeeded",
        administrationRoleArn: ADMIN,
        executionRoleName: "AWS-SystemsManager-AutomationExecutionRole",
        locations: [{ accountId: "222222222222", regions: ["us-west-2"] }],
        rateControl: RATE,
    };

    it("fans the wrapper out over the patch group's resource group with the configured rate control", () => {
        assert.deepEqual(startAutomationExecutionInput(request), {
            DocumentName: "patching-RunPatchBaseline",
            Parameters: { AutomationAssumeRole: [ADMIN], Operation: ["Install"], RebootOption: ["RebootIfNeeded"] },
            TargetParameterName: "InstanceId",
            Targets: [{ Key: "ResourceGroup", Values: ["Linux"] }],
            MaxConcurrency: "10%",
            MaxErrors: "5%",
            TargetLocations: [{ Accounts: ["222222222222"], Regions: ["us-west-2"], ExecutionRoleName: "AWS-SystemsManager-AutomationExecutionRole", TargetLocationMaxConcurrency: "2", TargetLocationMaxErrors: "1" }],
        });
    });

    it("runs the stopped-instances workflow once per location with the group and rate control as parameters", () => {
        const input = startAutomationExecutionInput({ ...request, runbook: "PatchWithStoppedInstances", documentName: "patching-PatchWithStoppedInstances" });
        assert.equal(input.Targets, undefined);
        assert.equal(input.TargetParameterName, undefined);
        assert.deepEqual(input.Parameters, { AutomationAssumeRole: [ADMIN], Operation: ["Install"], RebootOption: ["RebootIfNeeded"], PatchGroup: ["Linux"], MaxConcurrency: ["10%"], MaxErrors: ["5%"] });
    });

    it("scans through the stopped-instances workflow when a group installs with it, else through the per-node runbook", () => {
        assert.deepEqual(
            (["RunPatchBaseline", "PatchWithStoppedInstances"] as const).flatMap((install) => (["Scan", "Install"] as const).map((operation) => [install, operation, runbookFor(install, operation)])),
            [
                ["RunPatchBaseline", "Scan", "RunPatchBaseline"],
                ["RunPatchBaseline", "Install", "RunPatchBaseline"],
                ["PatchWithStoppedInstances", "Scan", "PatchWithStoppedInstances"],
                ["PatchWithStoppedInstances", "Install", "PatchWithStoppedInstances"],
            ],
        );
    });

    it("lets the scheduler start only the runbooks, pass only the administration role, and dead-letter", () => {
        const trust = schedulerRoleTrust("111111111111", "us-east-1", "patching-prod");
        assert.deepEqual(trust.Statement[0].Condition, {
            StringEquals: { "aws:SourceAccount": "111111111111" },
            ArnEquals: { "aws:SourceArn": "arn:aws:scheduler:us-east-1:111111111111:schedule-group/patching-prod" },
        });
        const statements = schedulerRolePolicy("111111111111", "us-east-1", ["b", "a"], ADMIN, "arn:aws:sqs:us-east-1:111111111111:dlq").Statement;
        assert.deepEqual(statements[0].Resource, [
            "arn:aws:ssm:us-east-1:111111111111:automation-definition/a:*",
            "arn:aws:ssm:us-east-1:111111111111:document/a",
            "arn:aws:ssm:us-east-1:111111111111:automation-definition/b:*",
            "arn:aws:ssm:us-east-1:111111111111:document/b",
            "arn:aws:ssm:us-east-1:111111111111:automation-execution/*",
        ]);
        assert.deepEqual(statements[1], { Sid: "PassAdministrationRoleToSystemsManager", Effect: "Allow", Action: "iam:PassRole", Resource: ADMIN, Condition: { StringEquals: { "iam:PassedToService": "ssm.amazonaws.com" } } });
        assert.deepEqual(statements[2].Resource, "arn:aws:sqs:us-east-1:111111111111:dlq");
        assert.equal(statements.length, 3);
    });

    it("lets the scheduler role start the runbooks and nothing else, as IAM decides it", async () => {
        const role = "arn:aws:iam::111111111111:role/patching-scheduler-prod-us-east-1";
        const policies = { identity: [schedulerRolePolicy("111111111111", "us-east-1", ["patching-RunPatchBaseline"], ADMIN, "arn:aws:sqs:us-east-1:111111111111:dlq")] };
        const start = (resource: string) => decide(policies, { principal: role, action: "ssm:StartAutomationExecution", resource, resourceAccount: "111111111111" });
        // StartAutomationExecution is authorized on the document as well as the execution (Service Authorization Reference, SSM).
        assert.equal(await start("arn:aws:ssm:us-east-1:111111111111:document/patching-RunPatchBaseline"), "Allowed");
        assert.equal(await start("arn:aws:ssm:us-east-1:111111111111:automation-definition/patching-RunPatchBaseline:$DEFAULT"), "Allowed");
        assert.equal(await start("arn:aws:ssm:us-east-1:111111111111:automation-execution/0123"), "Allowed");
        assert.equal(await start("arn:aws:ssm:us-east-1:111111111111:document/AWS-RunShellScript"), "ImplicitlyDenied");
        assert.equal(await start("arn:aws:ssm:us-east-1:111111111111:automation-definition/patching-Other:$DEFAULT"), "ImplicitlyDenied");
        const pass = (resource: string) => decide(policies, { principal: role, action: "iam:PassRole", resource, resourceAccount: "111111111111", context: { "iam:PassedToService": "ssm.amazonaws.com" } });
        assert.equal(await pass(ADMIN), "Allowed");
        assert.equal(await pass("arn:aws:iam::111111111111:role/OrganizationAccountAccessRole"), "ImplicitlyDenied");
    });

    it("rejects schedule settings Scheduler would refuse", () => {
        const group = { name: "Linux", scan: { expression: "rate(7 days)", timeZone: "UTC", flexibleWindowMinutes: 0 }, install: { expression: "rate(14 days)", timeZone: "UTC", flexibleWindowMinutes: 2000 }, installRunbook: "RunPatchBaseline" as const, rebootOption: "RebootIfNeeded" as const, rateControl: RATE, locations: [{ accountId: "222222222222", regions: ["us-west-2"] }] };
        const args: PatchSchedulesArgs = { region: "us-east-1", accountId: "111111111111", environment: "prod", administrationRoleArn: ADMIN, executionRoleName: "E", documentNames: { RunPatchBaseline: "a", PatchWithStoppedInstances: "b" }, patchGroups: [group], retry: { maximumRetryAttempts: 3, maximumEventAgeSeconds: 30 } };
        assert.throws(() => validatePatchSchedulesArgs(args), /Linux.install.flexibleWindowMinutes 2000 is not an integer from 0 to 1440; retry.maximumEventAgeSeconds 30 is not an integer from 60 to 86400/);
    });
});

describe("components/scheduleDocuments: TargetLocation limits at their boundaries (issue 21)", () => {
    const ous = (count: number) => Array.from({ length: count }, (_, i) => `ou-ab12-${String(i).padStart(8, "0")}`);
    const regions = (count: number) => Array.from({ length: count }, (_, i) => `r${i}`);
    const ids = (count: number) => Array.from({ length: count }, (_, i) => String(100000000000 + i));

    // TargetLocation.Accounts takes 1-50 ids: exactly 50 OUs are one entry, never a second empty one.
    for (const [count, sizes] of [[50, [50]], [51, [50, 1]], [100, [50, 50]]] as const) {
        it(`chunks ${count} organizational units into entries of ${sizes.join(" + ")}`, () => {
            const entries = organizationTargetLocations([{ organizationalUnits: ous(count), regions: ["us-west-2"], excludeAccounts: [] }], "Exec", RATE);
            assert.deepEqual(entries.map((l) => l.Accounts.length), sizes);
        });
    }

    it("refuses an OU location without OUs or without Regions, accepts 50 Regions, and counts distinct exclusions up to 5000", () => {
        const target = (organizationalUnits: string[], regionList: string[], excludeAccounts: string[] = []) => ({ organizationalUnits, regions: regionList, excludeAccounts });
        assert.deepEqual(organizationTargetLocationProblems([target([], ["us-west-2"])]), ["a target location needs at least one organizational unit"]);
        assert.deepEqual(organizationTargetLocationProblems([target(["r-ab12"], [])]), ["r-ab12: 0 Regions; a target location takes 1-50"]);
        // The messages name every OU of the location.
        const two = ["ou-ab12-11111111", "ou-ab12-22222222"];
        assert.deepEqual(organizationTargetLocationProblems([target(two, [], ids(5001))]), [
            "ou-ab12-11111111, ou-ab12-22222222: 0 Regions; a target location takes 1-50",
            "ou-ab12-11111111, ou-ab12-22222222: more than 5000 excluded accounts",
        ]);
        assert.deepEqual(organizationTargetLocationProblems([target(["r-ab12"], regions(50))]), []);
        assert.deepEqual(organizationTargetLocationProblems([target(["r-ab12"], ["us-west-2"], ids(5000))]), []);
        // A repeated id is one exclusion: 5000 distinct ids plus a repeat are still within ExcludeAccounts' 5000.
        assert.deepEqual(organizationTargetLocationProblems([target(["r-ab12"], ["us-west-2"], [...ids(5000), "100000000000"])]), []);
    });

    it("refuses an account location with more than 50 Regions, naming the account, and accepts exactly 50", () => {
        assert.deepEqual(targetLocationProblems([{ accountId: "222222222222", regions: regions(50) }]), []);
        assert.deepEqual(targetLocationProblems([{ accountId: "222222222222", regions: regions(51) }]), [
            "account 222222222222 has 51 Regions; a target location takes at most 50",
        ]);
    });

    it("sends the same request whatever order the configuration lists accounts and Regions in (no spurious schedule update)", () => {
        const forward = [
            { accountId: "111111111111", regions: ["us-west-2"] },
            { accountId: "222222222222", regions: ["eu-west-2", "us-east-1"] },
        ];
        const backward = [
            { accountId: "222222222222", regions: ["us-east-1", "eu-west-2"] },
            { accountId: "111111111111", regions: ["us-west-2"] },
        ];
        const expected = [
            { Accounts: ["222222222222"], Regions: ["eu-west-2", "us-east-1"], ExecutionRoleName: "Exec", TargetLocationMaxConcurrency: "2", TargetLocationMaxErrors: "1" },
            { Accounts: ["111111111111"], Regions: ["us-west-2"], ExecutionRoleName: "Exec", TargetLocationMaxConcurrency: "2", TargetLocationMaxErrors: "1" },
        ];
        assert.deepEqual(targetLocations(forward, "Exec", RATE), expected);
        assert.deepEqual(targetLocations(backward, "Exec", RATE), expected);
    });

    it("targets the documented universal target for StartAutomationExecution", () => {
        // EventBridge Scheduler universal targets: arn:aws:scheduler:::aws-sdk:<service>:<apiAction>, action in camelCase.
        assert.equal(SCHEDULER_TARGET_ARN, "arn:aws:scheduler:::aws-sdk:ssm:startAutomationExecution");
    });

    it("trusts EventBridge Scheduler alone, for sts:AssumeRole, and every statement has a valid Sid", () => {
        const trust = schedulerRoleTrust("111111111111", "us-east-1", "patching-prod");
        assert.equal(trust.Statement.length, 1);
        const [statement] = trust.Statement;
        // Scheduler user guide, "Set up the execution role": principal scheduler.amazonaws.com.
        assert.deepEqual([statement.Effect, statement.Principal, statement.Action], ["Allow", { Service: "scheduler.amazonaws.com" }, "sts:AssumeRole"]);
        const policyStatements = schedulerRolePolicy("111111111111", "us-east-1", ["a"], ADMIN, "arn:aws:sqs:us-east-1:111111111111:dlq").Statement;
        assert.deepEqual(policyStatements.map((s) => [s.Effect, s.Action]), [
            ["Allow", "ssm:StartAutomationExecution"],
            ["Allow", "iam:PassRole"],
            ["Allow", "sqs:SendMessage"],
        ]);
        // IAM JSON policy reference, Sid: ASCII letters and digits; an empty Sid is no Sid.
        for (const { Sid } of [...trust.Statement, ...policyStatements]) {
            assert.match(Sid ?? "", /^[A-Za-z0-9]+$/);
        }
    });
});
