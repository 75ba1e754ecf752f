import { strict as assert } from "node:assert";
import { evaluatedStack } from "../fixtures/programEvaluations";
import type { Evaluation } from "../../tools/plan/evaluate";

/** Pulumi.org.yaml: the central side of organization mode as the program wires it (issue 16). */
describe("organization mode wired into the org estate (Pulumi.org.yaml)", () => {
    let evaluation: Evaluation;
    const inputOf = (name: string) => JSON.parse((evaluation.recorder.get("aws:scheduler/schedule:Schedule", `security-patch-schedules-${name}`).inputs.target as { input: string }).input);
    const EXEC = "AWS-SystemsManager-AutomationExecutionRole";
    const ou = (accounts: string[], regions: string[], exclude: string[]) => ({
        Accounts: accounts,
        Regions: regions,
        ExecutionRoleName: EXEC,
        TargetLocationMaxConcurrency: "2",
        TargetLocationMaxErrors: "1",
        ExcludeAccounts: exclude,
        IncludeChildOrganizationUnits: true,
    });

    before(async () => {
        evaluation = await evaluatedStack("org");
    });

    it("runs an OU-only group (AppA) in its OU, child OUs included, never in a configured account", () => {
        const scan = inputOf("AppA-scan");
        // The install has a window cutoff (maxDurationMinutes), so it goes through the rollout gate, which
        // starts the same request (issue 17): the OU locations pass through unchanged.
        const gate = inputOf("AppA-install");
        assert.equal(gate.DocumentName, "patching-RolloutGate");
        const install = JSON.parse((gate.Parameters.PatchRunRequest as string[]).join(""));
        for (const [operation, request] of [["scan", scan], ["install", install]] as const) {
            assert.deepEqual(request.TargetLocations, [ou(["ou-a1b2-4ppa0000"], ["eu-central-1", "eu-west-2"], ["111111111111"])], operation);
        }
    });

    it("runs a group without accounts in the configured members and every target, excluding the configured accounts there", () => {
        const locations = inputOf("Linux-scan").TargetLocations;
        assert.deepEqual(locations, [
            { Accounts: ["111111111111"], Regions: ["us-east-1"], ExecutionRoleName: EXEC, TargetLocationMaxConcurrency: "2", TargetLocationMaxErrors: "1" },
            ou(["ou-a1b2-5h4r3d00", "ou-a1b2-w0rk10ad"], ["eu-central-1", "eu-west-2", "us-east-1", "us-west-2"], ["111111111111", "999999999999"]),
            ou(["ou-a1b2-4ppa0000"], ["eu-central-1", "eu-west-2"], ["111111111111"]),
        ]);
    });

    it("lets the administration role assume the execution role only inside the organization, and list OU members", () => {
        const policy = JSON.parse(String(evaluation.recorder.get("aws:iam/rolePolicy:RolePolicy", "security-automation-administration-assume-execution-roles").inputs.policy));
        const org = policy.Statement.find((s: { Sid: string }) => s.Sid === "AssumeExecutionRoleInOrganization");
        assert.deepEqual(org, { Sid: "AssumeExecutionRoleInOrganization", Effect: "Allow", Action: "sts:AssumeRole", Resource: `arn:aws:iam::*:role/${EXEC}`, Condition: { StringEquals: { "aws:ResourceOrgID": "o-a1b2c3d4e5" } } });
    });

    it("deploys the member side as two StackSets from the central account, instances per (OU set, Region)", () => {
        const stackSets = evaluation.recorder.find("aws:cloudformation/stackSet:StackSet");
        assert.deepEqual(stackSets.map((s) => s.inputs.name).sort(), ["patching-member-account", "patching-member-regional"]);
        assert.ok(stackSets.every((s) => evaluation.recorder.providerOf(s)?.name === "aws-security" && s.inputs.callAs === "DELEGATED_ADMIN" && s.inputs.permissionModel === "SERVICE_MANAGED"));
        const instances = evaluation.recorder.find("aws:cloudformation/stackSetInstance:StackSetInstance");
        assert.equal(instances.length, 5, "one account-wide instance + one Regional instance per target Region");
    });

    it("publishes the enforcer package to an artifacts bucket in every target Region, and every stack instance waits for the packages", () => {
        const regions = ["eu-central-1", "eu-west-2", "us-east-1", "us-west-2"];
        const buckets = evaluation.recorder.find("aws:s3/bucket:Bucket").map((b) => String(b.inputs.bucket)).filter((name) => name.startsWith("patching-artifacts-"));
        assert.deepEqual(buckets.sort(), regions.map((region) => `patching-artifacts-111111111111-${region}`));
        const packages = evaluation.recorder.find("aws:s3/bucketObjectv2:BucketObjectv2").filter((o) => o.name.endsWith("-enforcer-package"));
        assert.deepEqual(packages.map((o) => o.inputs.region).sort(), regions);
        assert.equal(new Set(packages.map((o) => o.inputs.key)).size, 1, "one key, the bundle's hash");
        for (const instance of evaluation.recorder.find("aws:cloudformation/stackSetInstance:StackSetInstance")) {
            assert.ok(packages.every((p) => instance.options.dependsOn.includes(p.urn)), instance.name);
        }
    });

    it("keeps the stack's size independent of the organization's account count: no per-member provider", () => {
        assert.deepEqual(evaluation.recorder.find("pulumi:providers:aws").map((p) => p.name), ["aws-security"]);
    });
});
