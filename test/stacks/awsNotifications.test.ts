import { strict as assert } from "node:assert";
import { evaluatedStack } from "../fixtures/programEvaluations";
import type { Evaluation } from "../../tools/plan/evaluate";

describe("patch-run notifications wired into the prod estate", () => {
    let evaluation: Evaluation;
    const locationOf = (r: { inputs: Record<string, unknown> }) => `${evaluation.recorder.providerOf(r as never)?.name} ${String(r.inputs.region)}`;

    before(async () => {
        evaluation = await evaluatedStack("prod");
    });

    it("lets the other member accounts' forwarder roles put events on the patch-run bus, and leaves the default bus alone", () => {
        const policies = evaluation.recorder.find("aws:cloudwatch/eventBusPolicy:EventBusPolicy");
        assert.deepEqual(policies.map((p) => [locationOf(p), p.inputs.eventBusName]), [["aws-security us-east-1", "patching-patch-runs"]], "no policy on any default bus");
        const [allow] = JSON.parse(String(policies[0].inputs.policy)).Statement;
        assert.deepEqual(allow.Principal.AWS, ["arn:aws:iam::222222222222:root", "arn:aws:iam::333333333333:root"], "the central account needs no Allow on its own bus");
        assert.equal(allow.Condition.ArnLike["aws:PrincipalArn"], "arn:aws:iam::*:role/patching-patch-run-forwarder-*");
        const [bus] = evaluation.recorder.find("aws:cloudwatch/eventBus:EventBus");
        assert.deepEqual([locationOf(bus), bus.inputs.name], ["aws-security us-east-1", "patching-patch-runs"]);
    });

    it("forwards from every other location that runs the runbooks to the patch-run bus, and announces only failures in prod", () => {
        const targets = evaluation.recorder.find("aws:cloudwatch/eventTarget:EventTarget");
        assert.equal(targets.filter((t) => String(t.inputs.arn).endsWith(":event-bus/default")).length, 0, "nothing forwards to a default bus any more");
        const forwarders = targets.filter((t) => String(t.inputs.arn) === "arn:aws:events:us-east-1:111111111111:event-bus/patching-patch-runs");
        const locations = [...new Set(forwarders.map(locationOf))].sort();
        const expected = ["security", "shared-services", "application"].flatMap((alias) => ["us-west-2", "eu-west-2"].map((region) => `aws-${alias} ${region}`)).sort();
        assert.deepEqual(locations, expected);
        const central = evaluation.recorder.find("aws:cloudwatch/eventRule:EventRule").filter((r) => locationOf(r) === "aws-security us-east-1" && String(r.inputs.name).startsWith("patching-patch-run-"));
        assert.equal(central.length, 6, "automation, run commands, patching alarms, held rollout gates (issue 17) on the default bus; forwarded automation and run commands on the patch-run bus");
        assert.ok(central.some((r) => r.inputs.name === "patching-patch-run-holds"), "prod gates its installs, so held runs notify");
        const alarms = central.find((r) => r.inputs.name === "patching-patch-run-alarms");
        assert.deepEqual(JSON.parse(String(alarms?.inputs.eventPattern)).account, ["111111111111", "222222222222", "333333333333"], "the estate's accounts only");
        assert.ok(!central.some((r) => String(r.inputs.eventPattern).includes("Success")), "prod pages on failures only (notifications.patchRunSuccess is off)");
    });

    it("announces successes where notifications.patchRunSuccess is on (dev)", async () => {
        const dev = await evaluatedStack("dev");
        const rules = dev.recorder.find("aws:cloudwatch/eventRule:EventRule").filter((r) => String(r.inputs.name) === "patching-patch-run-automation");
        assert.equal(rules.length, 1);
        assert.ok(String(rules[0].inputs.eventPattern).includes("Success"));
    });
});
