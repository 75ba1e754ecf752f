import { strict as assert } from "node:assert";
import { parseEstateConfig } from "../../../stacks/config/estateConfig";
import { MAX_EXCLUDED_NODES } from "../../../stacks/config/schemaEstate";
import { TEST_CONTEXT, validRawConfig, configErrorOf as errorOf } from "../../fixtures/estateConfig";

type Raw = Record<string, unknown> & { patchGroups: Record<string, unknown>[] };

const NODE = { id: "i-0abc1234def567890", reason: "Vendor-certified appliance image; no OS changes until recertified", expires: "2027-03-31" };
const HYBRID = { id: "mi-0123456789abcdef0", reason: "Azure VM being decommissioned" };

function withExcluded(excludedNodes: unknown, extra: Record<string, unknown> = {}, environment = "dev"): Raw {
    const raw = { ...validRawConfig(), environment } as unknown as Raw;
    raw.patchGroups[0] = { ...raw.patchGroups[0], excludedNodes, ...extra };
    return raw;
}

/** Issue 19 item 5: excluded nodes as exceptions with a reason and an (in prod: required) expiry. */
describe("stacks/config: patchGroups[].excludedNodes {id, reason, expires}", () => {
    it("resolves the list onto the patch group (EC2 and hybrid ids; expires optional outside the policy pack)", () => {
        const estate = parseEstateConfig(withExcluded([NODE, HYBRID]), TEST_CONTEXT);
        assert.deepEqual(estate.patchGroups[0].excludedNodes, [NODE, HYBRID]);
    });

    it("a group without the key (or with an empty list) resolves exactly as before: no excludedNodes member", () => {
        assert.ok(!("excludedNodes" in parseEstateConfig(validRawConfig(), TEST_CONTEXT).patchGroups[0]));
        assert.ok(!("excludedNodes" in parseEstateConfig(withExcluded([]), TEST_CONTEXT).patchGroups[0]));
    });

    it("a past expires date is accepted here: the policy pack fails the plan (one line), as for rejected patches", () => {
        const estate = parseEstateConfig(withExcluded([{ ...NODE, expires: "2020-01-01" }], {}, "prod"), TEST_CONTEXT);
        assert.equal(estate.patchGroups[0].excludedNodes?.[0].expires, "2020-01-01");
    });

    const P = "patchGroups\\[0\\]\\.excludedNodes";
    const CASES: [string, unknown, Record<string, unknown>, RegExp][] = [
        ["an instance id with upper-case hex", [{ ...NODE, id: "i-0ABC1234DEF567890" }], {}, new RegExp(`${P}\\[0\\]\\.id: "i-0ABC1234DEF567890" is not a managed node id \\(i- and 8 or 17 hex digits, or mi- and 17 hex digits\\)`)],
        ["a hybrid id of the wrong length", [{ ...HYBRID, id: "mi-0123" }], {}, new RegExp(`${P}\\[0\\]\\.id: "mi-0123" is not a managed node id`)],
        ["a name instead of an id", [{ ...NODE, id: "web-01" }], {}, new RegExp(`${P}\\[0\\]\\.id: "web-01" is not a managed node id`)],
        ["no reason", [{ id: NODE.id, expires: NODE.expires }], {}, new RegExp(`${P}\\[0\\]\\.reason: missing; expected a reason \\(1-256 characters\\)`)],
        ["an empty reason", [{ ...NODE, reason: "" }], {}, new RegExp(`${P}\\[0\\]\\.reason: "" is not a reason \\(1-256 characters\\)`)],
        ["a date that does not exist", [{ ...NODE, expires: "2027-02-30" }], {}, new RegExp(`${P}\\[0\\]\\.expires: "2027-02-30" is not an ISO date YYYY-MM-DD`)],
        ["a plain id instead of an object", ["i-0abc1234def567890"], {}, new RegExp(`${P}\\[0\\]: "i-0abc1234def567890" is not an excluded node \\(\\{id, reason, expires\\?\\}\\)`)],
        ["an unknown key", [{ ...NODE, owner: "me" }], {}, new RegExp(`${P}\\[0\\]\\.owner: is not a known key; allowed keys: id, reason, expires`)],
        ["the same node twice (case-insensitive)", [NODE, { ...NODE, reason: "again" }], {}, new RegExp(`${P}\\[1\\]\\.id: "i-0abc1234def567890" duplicates ${P}\\[0\\]\\.id; a patch group's excluded nodes must be unique`)],
        [
            `more than ${MAX_EXCLUDED_NODES} nodes`,
            Array.from({ length: MAX_EXCLUDED_NODES + 1 }, (_, i) => ({ ...NODE, id: `i-${i.toString(16).padStart(17, "0")}` })),
            {},
            new RegExp(`${P}: .* has more than 50 nodes \\(a runbook list parameter takes at most 50\\)`),
        ],
        [
            "a group using the stopped-instances workflow",
            [NODE],
            { installRunbook: "PatchWithStoppedInstances" },
            /patchGroups\[0\]\.excludedNodes: "PatchWithStoppedInstances" needs installRunbook RunPatchBaseline \(the per-node runbook\); this group uses PatchWithStoppedInstances/,
        ],
    ];
    for (const [label, excluded, extra, expected] of CASES) {
        it(`refuses ${label} with one line naming the key`, () => {
            const message = errorOf(withExcluded(excluded, extra));
            assert.match(message, expected);
            assert.equal(message.split("\n").length, 1, message);
        });
    }

    it("refuses exclusions while Config remediation installs (it would patch them); a refresh-only remediation is fine", () => {
        const install = { ...withExcluded([NODE]), compliance: { remediation: true } };
        const message = errorOf(install);
        assert.equal(message, "patchGroups[0].excludedNodes: cannot be honoured by compliance.remediation mode install (AWS Config remediation would install on these nodes); use mode refresh-compliance or turn remediation off");
        const refresh = { ...withExcluded([NODE]), compliance: { remediation: { mode: "refresh-compliance" } } };
        assert.equal(parseEstateConfig(refresh, TEST_CONTEXT).patchGroups[0].excludedNodes?.length, 1);
    });

    it(`accepts exactly ${MAX_EXCLUDED_NODES} nodes (the boundary)`, () => {
        const nodes = Array.from({ length: MAX_EXCLUDED_NODES }, (_, i) => ({ ...NODE, id: `i-${i.toString(16).padStart(17, "0")}` }));
        assert.equal(parseEstateConfig(withExcluded(nodes), TEST_CONTEXT).patchGroups[0].excludedNodes?.length, MAX_EXCLUDED_NODES);
    });
});
