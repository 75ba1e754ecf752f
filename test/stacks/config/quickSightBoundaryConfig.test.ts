import { strict as assert } from "node:assert";
import { BOUNDARY_CHARACTERS, ORGANIZATION_CENTRAL_WITH_DASHBOARD } from "../../../catalog/boundarySize";
import { quickSightDashboardSettings } from "../../../stacks/awsReporting";
import { parseEstateConfig } from "../../../stacks/config/estateConfig";
import { TEST_CONTEXT, validOrganizationRawConfig, validRawConfig, configErrorOf as errorOf } from "../../fixtures/estateConfig";

const OWNER = "arn:aws:quicksight:us-east-1:111111111111:group/default/patching-authors";
const dashboard = (enabled: boolean) => ({ quickSightPrincipalArn: OWNER, quickSight: { enabled } });

/**
 * Issue 19 item 3: the dashboard's grants do not fit an organization-mode central account's program
 * permissions boundary (catalog/boundarySize.ts, pinned against the rendered boundary by
 * test/components/identity/boundaryQuickSight.test.ts): refused at config time, one line.
 */
describe("stacks/config: reporting.quickSight.enabled and the central account's permissions boundary", () => {
    it("refuses the dashboard in organization mode, naming the key, the size and what to do", () => {
        assert.ok(ORGANIZATION_CENTRAL_WITH_DASHBOARD > BOUNDARY_CHARACTERS.max);
        assert.equal(
            errorOf({ ...validOrganizationRawConfig(), reporting: dashboard(true) }),
            `reporting.quickSight.enabled: true is not available in organization mode: the dashboard's grants (QuickSight template, analysis, dashboard and the template's CloudFormation stack) would bring the central account's permissions boundary to ${ORGANIZATION_CENTRAL_WITH_DASHBOARD} of IAM's 6144 characters; set it to false (the Athena reporting and reporting.quickSightPrincipalArn's data set stay), or build the dashboard in QuickSight by hand`,
        );
    });

    it("accepts it in a configured-accounts estate, and organization mode without it", () => {
        assert.equal(quickSightDashboardSettings(parseEstateConfig({ ...validRawConfig(), reporting: dashboard(true) }, TEST_CONTEXT))?.enabled, true);
        assert.equal(quickSightDashboardSettings(parseEstateConfig({ ...validOrganizationRawConfig(), reporting: dashboard(false) }, TEST_CONTEXT))?.enabled, false);
        assert.doesNotThrow(() => parseEstateConfig({ ...validOrganizationRawConfig(), reporting: { quickSightPrincipalArn: OWNER } }, TEST_CONTEXT));
    });
});
