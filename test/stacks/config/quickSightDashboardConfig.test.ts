import { strict as assert } from "node:assert";
import { parseEstateConfig } from "../../../stacks/config/estateConfig";
import { quickSightDashboardSettings } from "../../../stacks/awsReporting";
import { QUICKSIGHT_DASHBOARD_DEFAULTS } from "../../../stacks/config/schemaQuickSight";
import { TEST_CONTEXT, validRawConfig, configErrorOf as errorOf } from "../../fixtures/estateConfig";

const OWNER = "arn:aws:quicksight:us-east-1:111111111111:group/default/patching-authors";
const READER = "arn:aws:quicksight:us-east-1:111111111111:group/default/compliance-team";

const withReporting = (reporting: unknown) => ({ ...(validRawConfig() as Record<string, unknown>), reporting });

/** Issue 19 item 3: `reporting.quickSight` turns the compliance dashboard on (off by default). */
describe("stacks/config: reporting.quickSight {enabled, readers}", () => {
    it("is off when absent, and keeps quickSightPrincipalArn working on its own", () => {
        assert.equal(quickSightDashboardSettings(parseEstateConfig(validRawConfig(), TEST_CONTEXT)), undefined);
        const estate = parseEstateConfig(withReporting({ quickSightPrincipalArn: OWNER }), TEST_CONTEXT);
        assert.equal(estate.reporting.quickSightPrincipalArn, OWNER);
        assert.equal(quickSightDashboardSettings(estate), undefined);
    });

    it("defaults enabled to false and readers to none", () => {
        const estate = parseEstateConfig(withReporting({ quickSightPrincipalArn: OWNER, quickSight: {} }), TEST_CONTEXT);
        assert.deepEqual(quickSightDashboardSettings(estate), { ...QUICKSIGHT_DASHBOARD_DEFAULTS, readers: [] });
        assert.equal(QUICKSIGHT_DASHBOARD_DEFAULTS.enabled, false);
    });

    it("resolves enabled and readers", () => {
        const estate = parseEstateConfig(withReporting({ quickSightPrincipalArn: OWNER, quickSight: { enabled: true, readers: [READER] } }), TEST_CONTEXT);
        assert.deepEqual(quickSightDashboardSettings(estate), { enabled: true, readers: [READER] });
    });

    const cases: [string, unknown, string][] = [
        ["enabled without an owner", { quickSight: { enabled: true } }, "reporting.quickSight.enabled: true needs reporting.quickSightPrincipalArn, the dashboard's owner (a QuickSight user or group)"],
        ["enabled not a boolean", { quickSightPrincipalArn: OWNER, quickSight: { enabled: "yes" } }, 'reporting.quickSight.enabled: "yes" is not a boolean (build the QuickSight compliance dashboard)'],
        ["a reader that is not a QuickSight ARN", { quickSightPrincipalArn: OWNER, quickSight: { enabled: true, readers: ["alice"] } }, 'reporting.quickSight.readers[0]: "alice" is not a QuickSight user or group ARN (arn:aws:quicksight:<region>:<account>:user|group/<namespace>/<name>)'],
        ["the owner as reader", { quickSightPrincipalArn: OWNER, quickSight: { enabled: true, readers: [OWNER] } }, `reporting.quickSight.readers[0]: "${OWNER}" is listed twice or is reporting.quickSightPrincipalArn (the owner)`],
        ["a reader twice", { quickSightPrincipalArn: OWNER, quickSight: { readers: [READER, READER] } }, `reporting.quickSight.readers[1]: "${READER}" is listed twice or is reporting.quickSightPrincipalArn (the owner)`],
        ["an unknown key", { quickSightPrincipalArn: OWNER, quickSight: { enable: true } }, "reporting.quickSight.enable: is not a known key; allowed keys: enabled, readers"],
    ];
    for (const [name, reporting, expected] of cases) {
        it(`refuses ${name} with one line`, () => {
            const message = errorOf(withReporting(reporting));
            assert.equal(message.split("\n").length, 1, message);
            assert.equal(message, expected);
        });
    }
});
