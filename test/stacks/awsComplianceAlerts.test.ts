import { strict as assert } from "node:assert";
import { evaluatedStack } from "../fixtures/programEvaluations";
import type { Evaluation } from "../../tools/plan/evaluate";
import { alertEventPattern, COMPLIANCE_ALERT_NAMES } from "../../components/compliance/complianceAlertsDocuments";
import { PATCH_RUN_NAMES } from "../../components/notifications/notificationDocuments";

/** Issue 19 item 2 in both deployment modes: one central compliance topic, fed by every location. */
describe("compliance alerts wired into the estates (prod: configured accounts; org: organization mode)", () => {
    const evaluations: Record<string, Evaluation> = {};
    const locationOf = (evaluation: Evaluation, r: { inputs: Record<string, unknown> }) => `${evaluation.recorder.providerOf(r as never)?.name} ${String(r.inputs.region)}`;

    before(async () => {
        for (const stack of ["prod", "org"]) {
            evaluations[stack] = await evaluatedStack(stack);
        }
    });

    for (const stack of ["prod", "org"]) {
        it(`${stack}: exactly one compliance topic, in the central account and Region, and no per-location NON_COMPLIANT topic`, () => {
            const evaluation = evaluations[stack];
            const topics = evaluation.recorder.find("aws:sns/topic:Topic");
            assert.deepEqual(topics.filter((t) => t.inputs.name === COMPLIANCE_ALERT_NAMES.topic).map((t) => locationOf(evaluation, t)), ["aws-security us-east-1"]);
            assert.deepEqual(topics.filter((t) => t.inputs.name === "patching-non-compliant"), [], "the per-location topics are gone");
            const functions = evaluation.recorder.find("aws:lambda/function:Function").filter((f) => f.inputs.name === COMPLIANCE_ALERT_NAMES.function);
            assert.deepEqual(functions.map((f) => locationOf(evaluation, f)), ["aws-security us-east-1"]);
        });
    }

    it("prod: every member location except the central one forwards its NON_COMPLIANT changes to the patch-run bus, with its Region's rules", () => {
        const evaluation = evaluations.prod;
        const rules = evaluation.recorder.find("aws:cloudwatch/eventRule:EventRule").filter((r) => r.inputs.name === PATCH_RUN_NAMES.forwardNonCompliantRule);
        const expected = ["security", "shared-services", "application"].flatMap((alias) => ["us-west-2", "eu-west-2"].map((region) => `aws-${alias} ${region}`)).sort();
        assert.deepEqual(rules.map((r) => locationOf(evaluation, r)).sort(), expected);
        for (const rule of rules) {
            const pattern = JSON.parse(String(rule.inputs.eventPattern));
            assert.equal(pattern.account.length, 1, "its own account's changes only");
            assert.deepEqual(pattern.detail.newEvaluationResult, { complianceType: ["NON_COMPLIANT"] });
        }
        const targets = evaluation.recorder.find("aws:cloudwatch/eventTarget:EventTarget").filter((t) => t.name.endsWith("-non-compliant-forward"));
        assert.equal(targets.length, rules.length);
        assert.ok(targets.every((t) => t.inputs.arn === "arn:aws:events:us-east-1:111111111111:event-bus/patching-patch-runs" && /role\/patching-patch-run-forwarder-/.test(String(t.inputs.roleArn))));
    });

    it("prod: the forwarded rule hears the estate's accounts only; the central rule the central account on its default bus", () => {
        const rules = evaluations.prod.recorder.find("aws:cloudwatch/eventRule:EventRule");
        const forwarded = rules.find((r) => r.inputs.name === COMPLIANCE_ALERT_NAMES.forwardedRule);
        assert.deepEqual([forwarded?.inputs.eventBusName, JSON.parse(String(forwarded?.inputs.eventPattern))], ["patching-patch-runs", alertEventPattern(["111111111111", "222222222222", "333333333333"])]);
        const central = rules.find((r) => r.inputs.name === COMPLIANCE_ALERT_NAMES.centralRule);
        assert.deepEqual([central?.inputs.eventBusName, JSON.parse(String(central?.inputs.eventPattern))], [undefined, alertEventPattern(["111111111111"])]);
        const busPolicy = JSON.parse(String(evaluations.prod.recorder.find("aws:cloudwatch/eventBusPolicy:EventBusPolicy")[0].inputs.policy));
        assert.ok(busPolicy.Statement[0].Condition["ForAllValues:StringEquals"]["events:detail-type"].includes("Config Rules Compliance Change"), "configured-accounts mode admits the forwarded compliance changes too");
    });

    it("org: the forwarded rule matches any account (the bus policy admits only the organization's forwarders); the patch-run topic no longer gets NON_COMPLIANT changes", () => {
        const rules = evaluations.org.recorder.find("aws:cloudwatch/eventRule:EventRule");
        const forwarded = rules.find((r) => r.inputs.name === COMPLIANCE_ALERT_NAMES.forwardedRule);
        assert.deepEqual(JSON.parse(String(forwarded?.inputs.eventPattern)), alertEventPattern());
        assert.deepEqual(rules.filter((r) => r.inputs.name === PATCH_RUN_NAMES.forwardedNonCompliantRule), [], "the issue-16 rule to the patch-run topic is removed");
    });

    it("prod: every notifications subscriber gets both kinds by default (filter policy on alertKind)", () => {
        const subscriptions = evaluations.prod.recorder.find("aws:sns/topicSubscription:TopicSubscription").filter((s) => s.name.startsWith("security-compliance-alerts-"));
        assert.deepEqual(subscriptions.map((s) => [s.inputs.protocol, JSON.parse(String(s.inputs.filterPolicy))]).sort(), [
            ["email", { alertKind: ["immediate", "digest"] }],
            ["https", { alertKind: ["immediate", "digest"] }],
        ]);
    });
});
