import { strict as assert } from "node:assert";
import { quickSightRunAsTrust } from "../../../components/reporting/reportingQuickSight";
import { decideAll } from "../../support/iamSimulation";

const ACCOUNT = "111111111111";
const OTHER = "999999999999";
const ROLE = `arn:aws:iam::${ACCOUNT}:role/patching-quicksight-prod`;

describe("components/reporting: the QuickSight run-as role's trust (issue 19 item 3)", () => {
    it("lets QuickSight assume the role acting for this account only (simulated)", async () => {
        const assume = (label: string, principal: string, context: Record<string, string>) => ({ label, principal, action: "sts:AssumeRole", resource: ROLE, resourceAccount: ACCOUNT, context });
        const decisions = await decideAll({ resourcePolicy: quickSightRunAsTrust(ACCOUNT) }, [
            assume("QuickSight for this account", "quicksight.amazonaws.com", { "aws:SourceAccount": ACCOUNT }),
            // The confused deputy: another customer's QuickSight asked to use this role.
            assume("QuickSight for another account", "quicksight.amazonaws.com", { "aws:SourceAccount": OTHER }),
            assume("QuickSight with no source account", "quicksight.amazonaws.com", {}),
            assume("another service", "athena.amazonaws.com", { "aws:SourceAccount": ACCOUNT }),
        ]);
        assert.deepEqual(decisions, {
            "QuickSight for this account": "Allowed",
            "QuickSight for another account": "ImplicitlyDenied",
            "QuickSight with no source account": "ImplicitlyDenied",
            "another service": "ImplicitlyDenied",
        });
    });
});
