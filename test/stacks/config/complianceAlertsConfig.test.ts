import { strict as assert } from "node:assert";
import { parseEstateConfig } from "../../../stacks/config/estateConfig";
import { ALERT_RECEIVE_CHOICES, COMPLIANCE_ALERT_CONFIG_DEFAULTS } from "../../../stacks/config/schemaAlerts";
import { ALERT_RECEIVE_VALUES, COMPLIANCE_ALERT_DEFAULTS } from "../../../components/compliance/complianceAlertsDocuments";
import { MAX_DEDUPE_HOURS } from "../../../components/compliance/complianceAlertsArgs";
import { TEST_CONTEXT, validRawConfig, configErrorOf as errorOf } from "../../fixtures/estateConfig";

const SUBSCRIBERS = { emails: ["ops@example.com", "ciso@example.com"], httpsEndpoints: ["https://hooks.example.com/token-abc"] };
const withAlerts = (complianceAlerts: unknown) => ({ ...validRawConfig(), notifications: { ...SUBSCRIBERS, complianceAlerts } });

/** Issue 19 item 2: notifications.complianceAlerts (who receives immediate alerts, the digest, or both). */
describe("stacks/config: notifications.complianceAlerts", () => {
    it("defaults to both kinds for everyone and a 24-hour window, with or without a notifications key", () => {
        const { notifications } = parseEstateConfig(validRawConfig(), TEST_CONTEXT);
        assert.deepEqual(notifications.complianceAlerts, { receive: "both", dedupeHours: 24, subscribers: [] });
        assert.deepEqual(parseEstateConfig({ ...validRawConfig(), notifications: SUBSCRIBERS }, TEST_CONTEXT).notifications.complianceAlerts, { receive: "both", dedupeHours: 24, subscribers: [] });
    });

    it("has the component's defaults and vocabulary (the config may not import components: this keeps them equal)", () => {
        assert.deepEqual([COMPLIANCE_ALERT_CONFIG_DEFAULTS.receive, COMPLIANCE_ALERT_CONFIG_DEFAULTS.dedupeHours], [COMPLIANCE_ALERT_DEFAULTS.receive, COMPLIANCE_ALERT_DEFAULTS.dedupeHours]);
        assert.deepEqual([...ALERT_RECEIVE_CHOICES], [...ALERT_RECEIVE_VALUES]);
        assert.equal(MAX_DEDUPE_HOURS, 720);
    });

    it("takes a default choice, a window and per-endpoint overrides", () => {
        const alerts = parseEstateConfig(withAlerts({ receive: "digest", dedupeHours: 6, subscribers: [{ endpoint: "ops@example.com", receive: "immediate" }, { endpoint: "https://hooks.example.com/token-abc", receive: "both" }] }), TEST_CONTEXT).notifications.complianceAlerts;
        assert.deepEqual(alerts, { receive: "digest", dedupeHours: 6, subscribers: [{ endpoint: "ops@example.com", receive: "immediate" }, { endpoint: "https://hooks.example.com/token-abc", receive: "both" }] });
    });

    for (const [label, complianceAlerts, expected] of [
        ["an unknown choice", { receive: "weekly" }, /notifications\.complianceAlerts\.receive: "weekly" is not one of immediate, digest, both/],
        ["a zero window", { dedupeHours: 0 }, /notifications\.complianceAlerts\.dedupeHours: 0 is not an integer from 1 to 720/],
        ["a window over 30 days", { dedupeHours: 721 }, /notifications\.complianceAlerts\.dedupeHours: 721 is not an integer from 1 to 720/],
        ["an unknown key", { dedupe: 24 }, /notifications\.complianceAlerts\.dedupe: is not a known key; allowed keys: receive, dedupeHours, subscribers/],
        ["an override for nobody", { subscribers: [{ endpoint: "stranger@example.com", receive: "digest" }] }, /notifications\.complianceAlerts\.subscribers\[0\]\.endpoint: "stranger@example.com" is not one of notifications\.emails \/ notifications\.httpsEndpoints/],
        ["an override for an unknown https endpoint (its path stays out of the message)", { subscribers: [{ endpoint: "https://other.example.com/secret", receive: "digest" }] }, /"https:\/\/other\.example\.com\/…" is not one of/],
        ["two overrides for one address", { subscribers: [{ endpoint: "ops@example.com", receive: "digest" }, { endpoint: "ops@example.com", receive: "both" }] }, /notifications\.complianceAlerts\.subscribers\[1\]\.endpoint: "ops@example\.com" has an override already/],
        ["an override's bad choice", { subscribers: [{ endpoint: "ops@example.com", receive: "never" }] }, /notifications\.complianceAlerts\.subscribers\[0\]\.receive: "never" is not one of immediate, digest, both/],
    ] as const) {
        it(`refuses ${label} in one line naming the key, the value and what is allowed`, () => {
            const message = errorOf(withAlerts(complianceAlerts));
            assert.match(message, expected);
            assert.ok(!message.includes("secret"), "no https path in the message");
        });
    }
});
