import { strict as assert } from "node:assert";
import { ENGINE_COST_THRESHOLDS, engineCost, PROVIDER_PROCESS_MEMORY, renderEngineCost } from "../../tools/plan/engineCost";
import type { RecordedResource } from "../../tools/mock/recorder";
import { evaluatedStack } from "../fixtures/programEvaluations";

function registration(type: string, name: string): RecordedResource {
    return { urn: `urn:pulumi:s::p::${type}::${name}`, type, name, custom: true, inputs: {}, options: {} } as unknown as RecordedResource;
}

function estate(awsAccounts: number, extra: RecordedResource[] = []): RecordedResource[] {
    return [
        ...Array.from({ length: awsAccounts }, (_, i) => registration("pulumi:providers:aws", `account-${i}`)),
        registration("pulumi:providers:azure-native", "corp"),
        registration("aws:iam/role:Role", "not-a-provider"),
        ...extra,
    ];
}

describe("tools/plan/engineCost: provider processes of the real engine (issue 16)", () => {
    it("counts one process per explicit provider, by package, with the documented per-process range", () => {
        const cost = engineCost(estate(3, [registration("pulumi:providers:random", "r")]));
        assert.equal(cost.providerProcesses, 5);
        assert.deepEqual(cost.byPackage.map((p) => [p.package, p.processes]), [["aws", 3], ["azure-native", 1], ["random", 1]]);
        assert.deepEqual(cost.byPackage[0].memoryMb, { low: 3 * PROVIDER_PROCESS_MEMORY.aws.lowMb, high: 3 * PROVIDER_PROCESS_MEMORY.aws.highMb, basis: "pulumi/pulumi-aws#5860" });
        assert.deepEqual(cost.estimatedMemoryMb, { low: 4 * 300, high: 4 * 430 });
        assert.deepEqual(cost.unknownPackages, ["random"]);
        assert.equal(cost.warning, undefined, "3 accounts: no warning");
        assert.match(renderEngineCost(cost), /^engine: 5 provider processes .*aws×3 \(900-1290 MB, pulumi\/pulumi-aws#5860\).*azure-native×1 \(300-430 MB, assumed.*random×1 \(memory unknown\); estimated 1\.2-1\.7 GB$/);
    });

    it("warns, without failing, when a configured-accounts estate outgrows the thresholds", () => {
        assert.equal(engineCost(estate(8)).warning, undefined, "8 aws + 1 azure-native = 3870 MB at the high end: quiet");
        const big = engineCost(estate(ENGINE_COST_THRESHOLDS.awsProviderProcesses + 1));
        assert.match(big.warning ?? "", /^warning: 11 AWS provider processes, .* organization mode .* is the better fit$/);
        // The memory threshold alone: 9 aws + 1 azure-native = 4300 MB > 4096 with only 9 accounts.
        assert.ok(9 <= ENGINE_COST_THRESHOLDS.awsProviderProcesses);
        assert.match(engineCost(estate(9)).warning ?? "", /^warning: 9 AWS provider processes, ~2\.9-4\.2 GB/);
    });
});

describe("tools/plan/engineCost: a stack already in organization mode (issue 16)", () => {
    const stackSet = () => ({ ...registration("aws:cloudformation/stackSet:StackSet", "member"), inputs: { permissionModel: "SERVICE_MANAGED" } }) as RecordedResource;

    it("does not recommend organization mode to an organization-mode stack, but still names the configured accounts' cost", () => {
        const cost = engineCost(estate(ENGINE_COST_THRESHOLDS.awsProviderProcesses + 1, [stackSet()]));
        assert.equal(cost.organizationMode, true);
        assert.doesNotMatch(cost.warning ?? "", /organization mode .* is the better fit/);
        assert.match(cost.warning ?? "", /^warning: 11 AWS provider processes, .* although the stack is in organization mode: .* move the configured accounts .* into its targets/);
        assert.equal(engineCost(estate(ENGINE_COST_THRESHOLDS.awsProviderProcesses + 1)).organizationMode, false);
    });

    it("the org stack (Pulumi.org.yaml): organization mode, one AWS provider, no warning", async () => {
        const cost = engineCost((await evaluatedStack("org")).recorder.resources);
        assert.equal(cost.organizationMode, true);
        assert.deepEqual(cost.byPackage.find((p) => p.package === "aws")?.processes, 1);
        assert.equal(cost.warning, undefined);
    });
});
