import { strict as assert } from "node:assert";
import { BUILT_IN_OUTPUTS, documentProblems, references, successors, type AutomationAction, type AutomationDocument, type Step } from "../../../components/runbooks/documentModel";

/**
 * The runbook checker's rules pinned against the Automation actions reference (common step
 * properties: nextStep, isEnd, onFailure `Abort | Continue | step:<name>`, onCancel
 * `Abort | step:<name>`; aws:branch Choices/Default; each action's documented outputs) — issue 21.
 */
const ROLE = { AutomationAssumeRole: { type: "String" as const, description: "role" } };
const sleep = (name: string, extra: Partial<Step> = {}): Step => ({ name, action: "aws:sleep", inputs: { Duration: "PT1S" }, ...extra });
const runbook = (mainSteps: Step[], extra: Partial<AutomationDocument> = {}): AutomationDocument => ({
    schemaVersion: "0.3",
    description: "test",
    assumeRole: "{{ AutomationAssumeRole }}",
    parameters: ROLE,
    mainSteps,
    ...extra,
});

describe("components/documentModel: which steps can run next", () => {
    it("follows nextStep on success, else the next declared step, and nothing after the last step or an isEnd", () => {
        const doc = runbook([sleep("A", { nextStep: "C" }), sleep("B"), sleep("C"), sleep("D", { isEnd: true }), sleep("E")]);
        assert.deepEqual(successors(doc, "A", "success"), ["C"]);
        assert.deepEqual(successors(doc, "B", "success"), ["C"]);
        assert.deepEqual(successors(doc, "D", "success"), []);
        assert.deepEqual(successors(doc, "E", "success"), []);
        assert.deepEqual(successors(doc, "Nowhere", "success"), []);
    });

    it("jumps on failure and cancel only to a step: target; Abort (the default) ends, Continue goes on as after success", () => {
        const doc = runbook([
            sleep("A", { onFailure: "step:C", onCancel: "step:D" }),
            sleep("B", { onFailure: "Abort", onCancel: "Abort" }),
            sleep("C", { onFailure: "Continue" }),
            sleep("D"),
        ]);
        assert.deepEqual(successors(doc, "A", "failure"), ["C"]);
        assert.deepEqual(successors(doc, "A", "cancel"), ["D"]);
        assert.deepEqual(successors(doc, "B", "failure"), []);
        assert.deepEqual(successors(doc, "B", "cancel"), []);
        assert.deepEqual(successors(doc, "C", "failure"), ["D"]);
        assert.deepEqual(successors(doc, "D", "failure"), []);
        assert.deepEqual(successors(doc, "D", "cancel"), []);
    });

    it("branches to every choice and the Default; without Default to the next declared step, unless the branch isEnd", () => {
        const choices = [{ NextStep: "C", Variable: "{{ AutomationAssumeRole }}", StringEquals: "x" }];
        const doc = runbook([
            { name: "WithDefault", action: "aws:branch", inputs: { Choices: choices, Default: "D" } },
            { name: "WithoutDefault", action: "aws:branch", inputs: { Choices: choices } },
            { name: "Final", action: "aws:branch", isEnd: true, inputs: { Choices: choices } },
            sleep("C"),
            sleep("D"),
        ]);
        assert.deepEqual(successors(doc, "WithDefault", "success"), ["C", "D"]);
        assert.deepEqual(successors(doc, "WithoutDefault", "success"), ["C", "Final"]);
        assert.deepEqual(successors(doc, "Final", "success"), ["C"]);
    });
});

describe("components/documentModel: documentProblems edge cases", () => {
    it("accepts every documented built-in output of each action without an outputs declaration", () => {
        // Automation actions reference, each action's "Output" section.
        const documented: [AutomationAction, string[]][] = [
            ["aws:runCommand", ["CommandId", "Status", "ResponseCode", "Output"]],
            ["aws:executeScript", ["Payload", "OutputPayload"]],
            ["aws:executeAutomation", ["ExecutionId", "Status", "Output"]],
            ["aws:invokeLambdaFunction", ["StatusCode", "FunctionError", "LogResult", "Payload"]],
            ["aws:invokeWebhook", ["Response", "ResponseCode"]],
            ["aws:runInstances", ["InstanceIds"]],
            ["aws:createImage", ["ImageId", "ImageState"]],
            ["aws:copyImage", ["ImageId", "ImageState"]],
        ];
        assert.deepEqual(Object.keys(BUILT_IN_OUTPUTS).sort(), documented.map(([action]) => action).sort());
        for (const [action, outputs] of documented) {
            const doc = runbook([{ name: "Source", action, inputs: {} }, sleep("Use", { inputs: { Duration: outputs.map((o) => `{{ Source.${o} }}`).join(",") } })]);
            assert.deepEqual(documentProblems(doc), [], action);
        }
        const undocumented = runbook([{ name: "Source", action: "aws:sleep", inputs: {} }, sleep("Use", { inputs: { Duration: "{{ Source.Output }}" } })]);
        assert.deepEqual(documentProblems(undocumented), ["step Use: {{ Source.Output }}: step Source has no output Output"]);
    });

    it("reports a runbook without steps instead of calling it consistent (CreateDocument needs mainSteps)", () => {
        assert.deepEqual(documentProblems(runbook([])), ["mainSteps is empty; a runbook needs at least one step"]);
    });

    it("has no problem with a runbook that declares no outputs", () => {
        assert.deepEqual(documentProblems(runbook([sleep("Only")])), []);
    });

    it("takes assumeRole as exactly one {{ <String parameter> }}, spaces optional", () => {
        const problem = (assumeRole: string) => `assumeRole "${assumeRole}" must be {{ <a String parameter> }}`;
        assert.deepEqual(documentProblems(runbook([sleep("A")], { assumeRole: "{{AutomationAssumeRole}}" })), []);
        for (const bad of ["x{{ AutomationAssumeRole }}", "{{ AutomationAssumeRole }}x", "arn:aws:iam::111111111111:role/automation"]) {
            assert.deepEqual(documentProblems(runbook([sleep("A")], { assumeRole: bad })), [problem(bad)]);
        }
        // Not a parameter reference at all, even if some parameter happens to be called "undefined".
        const odd = runbook([sleep("A")], { assumeRole: "role", parameters: { ...ROLE, undefined: { type: "String", description: "" } } });
        assert.deepEqual(documentProblems(odd), [problem("role")]);
        const list = runbook([sleep("A")], { parameters: { AutomationAssumeRole: { type: "StringList", description: "" } } });
        assert.deepEqual(documentProblems(list), [problem("{{ AutomationAssumeRole }}")]);
    });

    it("words document-level problems without a location prefix and parameter problems with the parameter", () => {
        assert.deepEqual(documentProblems(runbook([sleep("A")], { schemaVersion: "2.2" as "0.3" })), ['schemaVersion is "2.2"; Automation runbooks must use "0.3"']);
        const typo = runbook([sleep("A")], { parameters: { ...ROLE, Count: { type: "Number" as "Integer", description: "" } } });
        assert.deepEqual(documentProblems(typo), ["parameter Count: unknown type Number"]);
    });

    it("takes onCancel Abort or step:<name> only (Continue is an onFailure value)", () => {
        assert.deepEqual(documentProblems(runbook([sleep("A", { onCancel: "Abort" })])), []);
        assert.deepEqual(documentProblems(runbook([sleep("A", { onCancel: "Continue" as "Abort" })])), ['step A: "Continue" must be Abort or step:<name>']);
    });

    it("finds references at any depth of the inputs and skips values that cannot hold one", () => {
        assert.deepEqual(references({ a: null, b: 3, c: true, d: ["{{ X }}", { e: "{{Y}} and {{ global:REGION }}" }] }), ["X", "Y", "global:REGION"]);
    });
});
