import { strict as assert } from "node:assert";
import { documentProblems } from "../../../components/runbooks/documentModel";
import { parseDocument, renderDocument } from "../../../components/runbooks/patchAutomationDocuments";
import { CUTOFF_STEPS, cutoffDocument, cutoffStartInput } from "../../../components/rollout/cutoffDocument";
import { ROLLOUT_TAGS } from "../../../components/rollout/gateScript";
import { execute, type PythonHarness, type SsmStub } from "../runbooks/runbookInterpreter";
import { rolloutHarness } from "./rolloutHarness";

/**
 * Proof of issue 17 item 3: the window-cutoff runbook executed (interpreter + its Python, SSM
 * answered by the Stubber, which fails the script on any call not queued — so a StopAutomationExecution
 * the scenario does not expect, e.g. on an untagged run, fails the test).
 */

/** A queued answer, or a service error code the harness raises (botocore Stubber add_client_error). */
type Stub = SsmStub & { readonly error?: string };

const DOCUMENTS = ["patching-PatchWithStoppedInstances", "patching-RunPatchBaseline"];
const cutoff = parseDocument(renderDocument(cutoffDocument()));
const id = (n: number) => `0000000${n}-aaaa-4bbb-8ccc-000000000000`;
const gated = (group = "AppA") => ({ [ROLLOUT_TAGS.group]: group, [ROLLOUT_TAGS.operation]: "Install", [`${ROLLOUT_TAGS.gatePrefix}AppA`]: "gate-1" });

interface Listed {
    readonly n: number;
    readonly status: string;
    readonly document?: string;
    readonly parent?: string;
    /** Tags read back (only for runs still running); undefined = not read. */
    readonly tags?: Record<string, string>;
    /** The answer to StopAutomationExecution: "ok", an error code, or undefined = never stopped. */
    readonly stop?: "ok" | "InvalidAutomationStatusUpdateException";
}

function listing(document: string, runs: Listed[]): Stub {
    return {
        method: "describe_automation_executions",
        response: {
            AutomationExecutionMetadataList: runs.map((r) => ({
                AutomationExecutionId: id(r.n),
                DocumentName: r.document ?? document,
                AutomationExecutionStatus: r.status,
                ...(r.parent === undefined ? {} : { ParentAutomationExecutionId: r.parent }),
            })),
        },
        expected: { Filters: [{ Key: "DocumentNamePrefix", Values: [document] }, { Key: "TagKey", Values: [`${ROLLOUT_TAGS.gatePrefix}AppA`] }] },
    };
}

function stubsFor(document: string, runs: Listed[]): Stub[] {
    return [
        listing(document, runs),
        ...runs.flatMap((r): Stub[] => [
            ...(r.tags === undefined ? [] : [{ method: "list_tags_for_resource", response: { TagList: Object.entries(r.tags).map(([Key, Value]) => ({ Key, Value })) }, expected: { ResourceType: "Automation", ResourceId: id(r.n) } }]),
            ...(r.stop === undefined
                ? []
                : [
                      r.stop === "ok"
                          ? { method: "stop_automation_execution", response: {}, expected: { AutomationExecutionId: id(r.n), Type: "Cancel" } }
                          : { method: "stop_automation_execution", error: r.stop, response: {}, expected: { AutomationExecutionId: id(r.n), Type: "Cancel" } },
                  ]),
        ]),
    ];
}

describe("the window-cutoff runbook, executed: cancels only this group's gated running patch runs", function () {
    this.timeout(60_000);
    let harness: PythonHarness;
    before(() => (harness = rolloutHarness()));
    after(async () => harness?.stop());

    const parameters = () => {
        const input = cutoffStartInput({ cutoffDocumentName: "patching-WindowCutoff", roleArn: "arn:aws:iam::123456789012:role/patching-rollout", patchGroup: "AppA", documentNames: DOCUMENTS });
        const p = input.Parameters as Record<string, string[]>;
        return { AutomationAssumeRole: p.AutomationAssumeRole[0], PatchGroup: p.PatchGroup[0], DocumentNames: p.DocumentNames };
    };

    it("passes document-model validation and renders losslessly", () => {
        assert.deepEqual(documentProblems(cutoffDocument()), []);
        assert.deepEqual(cutoff, cutoffDocument());
    });

    it("cancels (Type Cancel) exactly the tagged running runs; never an untagged, other-group, finished, Cancelling or child run", async () => {
        const stubs = [
            ...stubsFor(DOCUMENTS[0], [
                { n: 1, status: "InProgress", tags: gated(), stop: "ok" },
                { n: 2, status: "Success" },
                { n: 3, status: "InProgress", tags: { Owner: "someone" } },
                { n: 4, status: "Waiting", tags: gated("AppB") },
                { n: 5, status: "Cancelling" },
                { n: 6, status: "InProgress", parent: id(1) },
                { n: 7, status: "InProgress", document: `${DOCUMENTS[0]}Copy` },
            ]),
            ...stubsFor(DOCUMENTS[1], [
                { n: 8, status: "Pending", tags: gated(), stop: "ok" },
                { n: 9, status: "InProgress", tags: gated(), stop: "InvalidAutomationStatusUpdateException" },
            ]),
        ];
        const execution = await execute(cutoff, harness, { parameters: parameters(), ssm: { [CUTOFF_STEPS.cancel]: () => stubs } });
        assert.equal(execution.status, "Success", JSON.stringify(execution.failures));
        assert.deepEqual(execution.outputs[`${CUTOFF_STEPS.cancel}.CancelledExecutionIds`], [id(1), id(8)]);
        assert.equal(execution.outputs[`${CUTOFF_STEPS.cancel}.Status`], "cancelled 2 running patch run(s) of AppA; 1 ended before the cutoff reached them");
    });

    it("is idempotent: run again, the cancelled runs are Cancelling/Cancelled and nothing is stopped", async () => {
        const stubs = [...stubsFor(DOCUMENTS[0], [{ n: 1, status: "Cancelling" }]), ...stubsFor(DOCUMENTS[1], [{ n: 8, status: "Cancelled" }, { n: 9, status: "Success" }])];
        const execution = await execute(cutoff, harness, { parameters: parameters(), ssm: { [CUTOFF_STEPS.cancel]: () => stubs } });
        assert.equal(execution.status, "Success", JSON.stringify(execution.failures));
        assert.deepEqual(execution.outputs[`${CUTOFF_STEPS.cancel}.CancelledExecutionIds`], []);
    });

    it("any other stop error fails the step (the cutoff does not pretend it cut off)", async () => {
        const stubs: Stub[] = [...stubsFor(DOCUMENTS[0], []), listing(DOCUMENTS[1], [{ n: 1, status: "InProgress" }]), { method: "list_tags_for_resource", response: { TagList: Object.entries(gated()).map(([Key, Value]) => ({ Key, Value })) } }, { method: "stop_automation_execution", error: "AccessDeniedException", response: {} }];
        const execution = await execute(cutoff, harness, { parameters: parameters(), ssm: { [CUTOFF_STEPS.cancel]: () => stubs } });
        assert.equal(execution.status, "Failed");
        assert.match(execution.failures[CUTOFF_STEPS.cancel], /AccessDeniedException/);
    });
});
