import { strict as assert } from "node:assert";
import { parseEstateConfig } from "../../../stacks/config/estateConfig";
import { SLA_DEFAULT_DAYS } from "../../../stacks/config/schemaSla";
import { TEST_CONTEXT, validRawConfig, configErrorOf as errorOf } from "../../fixtures/estateConfig";

const withCompliance = (compliance: unknown) => ({ ...validRawConfig(), compliance });

/** Issue 19 item 4: compliance.sla, days per compliance severity. */
describe("stacks/config: compliance.sla (patch SLAs)", () => {
    it("defaults to CRITICAL 7, HIGH 30, MEDIUM 90, LOW 180 days, with or without a compliance key", () => {
        assert.deepEqual(SLA_DEFAULT_DAYS, { CRITICAL: 7, HIGH: 30, MEDIUM: 90, LOW: 180 });
        assert.deepEqual(parseEstateConfig(validRawConfig(), TEST_CONTEXT).compliance.sla, SLA_DEFAULT_DAYS);
        assert.deepEqual(parseEstateConfig(withCompliance({ configRecorder: true }), TEST_CONTEXT).compliance.sla, SLA_DEFAULT_DAYS);
    });

    it("overrides one severity, keeps the others' defaults, and adds a level that has none by default", () => {
        const sla = parseEstateConfig(withCompliance({ sla: { CRITICAL: 3, INFORMATIONAL: 365 } }), TEST_CONTEXT).compliance.sla;
        assert.deepEqual(sla, { ...SLA_DEFAULT_DAYS, CRITICAL: 3, INFORMATIONAL: 365 });
    });

    for (const [label, sla, expected] of [
        ["zero days", { CRITICAL: 0 }, /compliance\.sla\.CRITICAL: 0 is not an integer from 1 to 365 \(days a patch of level CRITICAL may stay missing\)/],
        ["a fraction", { HIGH: 7.5 }, /compliance\.sla\.HIGH: 7\.5 is not an integer from 1 to 365/],
        ["a vendor severity instead of the compliance level", { Important: 30 }, /compliance\.sla\.Important: is not a known key; allowed keys: CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL, UNSPECIFIED/],
        ["a string", { LOW: "90" }, /compliance\.sla\.LOW: "90" is not an integer from 1 to 365/],
    ] as const) {
        it(`refuses ${label} in one line naming the key, the value and what is allowed`, () => {
            const message = errorOf(withCompliance({ sla }));
            assert.match(message, expected);
        });
    }
});
