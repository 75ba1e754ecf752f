import { strict as assert } from "node:assert";
import { evaluatedStack } from "../fixtures/programEvaluations";
import type { Evaluation } from "../../tools/plan/evaluate";

describe("patch-run notifications wired into the prod estate", () => {
    let evaluation: Evaluation;
    const locationOf = (r: { inputs: Record<string, unknown> }) => `${evaluation.recorder.providerOf(r as never)?.name} ${String(r.inputs.region)}`;

    before(async () => {
        evaluation = await evaluatedStack("prod");
    });

    it("lets exactly the other member accounts put events on the central default bus", () => {
        const [policy] = evaluation.recorder.find("aws:cloudwatch/eventBusPolicy:EventBusPolicy");
        assert.equal(locationOf(policy), "aws-security us-east-1");
        const text = String(policy.inputs.policy);
        for (const id of ["222222222222", "333333333333"]) {
            assert.ok(text.includes(`arn:aws:iam::${id}:root`), id);
        }
        assert.ok(!text.includes("arn:aws:iam::111111111111:root"), "the central account needs no permission on its own bus");
    });

    it("forwards from every other location that runs the runbooks to the central bus, and announces only failures in prod", () => {
        const forwarders = evaluation.recorder.find("aws:cloudwatch/eventTarget:EventTarget").filter((t) => String(t.inputs.arn) === "arn:aws:events:us-east-1:111111111111:event-bus/default");
        const locations = [...new Set(forwarders.map(locationOf))].sort();
        const expected = ["security", "shared-services", "application"].flatMap((alias) => ["us-west-2", "eu-west-2"].map((region) => `aws-${alias} ${region}`)).sort();
        assert.deepEqual(locations, expected);
        const central = evaluation.recorder.find("aws:cloudwatch/eventRule:EventRule").filter((r) => locationOf(r) === "aws-security us-east-1" && String(r.inputs.name).startsWith("patching-patch-run-"));
        assert.equal(central.length, 3, "automation, run commands, patching alarms");
        assert.ok(!central.some((r) => String(r.inputs.eventPattern).includes("Success")), "prod pages on failures only (notifications.patchRunSuccess is off)");
    });

    it("announces successes where notifications.patchRunSuccess is on (dev)", async () => {
        const dev = await evaluatedStack("dev");
        const rules = dev.recorder.find("aws:cloudwatch/eventRule:EventRule").filter((r) => String(r.inputs.name) === "patching-patch-run-automation");
        assert.equal(rules.length, 1);
        assert.ok(String(rules[0].inputs.eventPattern).includes("Success"));
    });
});
