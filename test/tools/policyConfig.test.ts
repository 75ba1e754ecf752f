import { strict as assert } from "node:assert";
import type { Policy } from "@pulumi/policy";
import { PolicyConfigError, resolvePolicyConfig } from "../../tools/plan/policyConfig";

const days: Policy = { name: "days", description: "a policy with a knob", enforcementLevel: "mandatory", configSchema: { properties: { max: { type: "integer", minimum: 0, maximum: 360, default: 360 } } } };
const plain: Policy = { name: "plain", description: "a policy without knobs", enforcementLevel: "advisory" };
const unset: Policy = { name: "unset", description: "a policy without a default level" };
const POLICIES = [days, plain, unset];

const resolved = (raw: Record<string, unknown>) => Object.fromEntries([...resolvePolicyConfig(POLICIES, raw, "config.json")].map(([name, c]) => [name, [c.enforcementLevel, c.properties]]));

describe("tools/plan/policyConfig: policy config as the CLI resolves it", () => {
    it("starts from each policy's level (pack default advisory) and its schema defaults", () => {
        assert.deepEqual(resolved({}), { days: ["mandatory", { max: 360 }], plain: ["advisory", {}], unset: ["advisory", {}] });
    });

    it("lets all override the policies' own levels, and a policy entry override all", () => {
        assert.deepEqual(resolved({ all: "mandatory", plain: "disabled", days: { enforcementLevel: "advisory", max: 30 } }), {
            days: ["advisory", { max: 30 }],
            plain: ["disabled", {}],
            unset: ["mandatory", {}],
        });
    });

    const BAD: [string, Record<string, unknown>, string][] = [
        ["an unknown policy", { dayz: "mandatory" }, 'config.json: "dayz" is not a policy of this pack'],
        ["an unknown level", { all: "strict" }, 'config.json: all: "strict" is not an enforcement level (advisory, mandatory, remediate, disabled)'],
        ["an unknown knob", { days: { maximum: 3 } }, "config.json: days.maximum is not a setting of this policy (settings: max)"],
        ["a knob of the wrong type", { days: { max: "30" } }, 'config.json: days.max: "30" is not of type integer'],
        ["a knob out of range", { days: { max: 400 } }, "config.json: days.max: 400 is above the maximum 360"],
        ["a knob on a policy without any", { plain: { max: 1 } }, "config.json: plain.max is not a setting of this policy (it has none)"],
    ];
    for (const [what, raw, message] of BAD) {
        it(`refuses ${what}`, () => {
            assert.throws(() => resolvePolicyConfig(POLICIES, raw, "config.json"), (error: Error) => error instanceof PolicyConfigError && error.message === message);
        });
    }
});
