import { strict as assert } from "node:assert";
import { patchExceptionExpired, patchExceptionExpiring, utcToday } from "../../policies/exceptions";
import { readEstate } from "../../policies/lib/estate";
import { validRawConfig } from "../fixtures/estateConfig";
import { awsProvider, CENTRAL, check, messages, useStackConfig } from "./helpers";

const provider = awsProvider("security", CENTRAL);

/** A date `days` from today (UTC), as the config writes it. */
const inDays = (days: number) => utcToday(new Date(Date.now() + days * 86_400_000));

/** The happy path: one excluded node that ends in 30 days, in prod. One property changes per test. */
const NODE = { id: "i-0a1b2c3d4e5f60789", reason: "ERP host: vendor certifies OS patches quarterly", expires: inDays(30) };

function stackWith(node: Record<string, unknown>, environment = "prod"): void {
    const raw = { ...validRawConfig(), environment } as unknown as { patchGroups: Record<string, unknown>[] };
    raw.patchGroups[1] = { ...raw.patchGroups[1], excludedNodes: [node] };
    useStackConfig(raw);
}

describe("policies/exceptions: excluded nodes are exceptions that expire (issue 19 item 5)", () => {
    it("reads the excluded nodes from the stack config, per group", () => {
        stackWith(NODE);
        assert.deepEqual(readEstate()?.excludedNodes, [{ group: "Windows", ...NODE }]);
    });

    it("the happy path: a prod node exclusion with a reason and a later expires passes both policies", async () => {
        stackWith(NODE);
        assert.deepEqual([await messages(patchExceptionExpired, [provider]), await messages(patchExceptionExpiring, [provider])], [[], []]);
    });

    it("patch-exception-expired: an expired node exclusion fails the plan in prod with one line naming it", async () => {
        stackWith({ ...NODE, expires: inDays(-1) });
        assert.deepEqual(await messages(patchExceptionExpired, [provider]), [
            `excluded node i-0a1b2c3d4e5f60789 of patch group Windows (reason: ERP host: vendor certifies OS patches quarterly) expired on ${inDays(-1)}: renew it with a later expires or remove it from excludedNodes`,
        ]);
    });

    it("patch-exception-expired: it holds through its expires day (UTC)", async () => {
        stackWith({ ...NODE, expires: inDays(0) });
        assert.deepEqual(await messages(patchExceptionExpired, [provider]), []);
    });

    it("patch-exception-expired: prod refuses a node exclusion without expires in one line; dev accepts it", async () => {
        const undated = { id: NODE.id, reason: NODE.reason };
        stackWith(undated);
        assert.deepEqual(await messages(patchExceptionExpired, [provider]), [
            "excluded node i-0a1b2c3d4e5f60789 of patch group Windows (reason: ERP host: vendor certifies OS patches quarterly) has no expires: in prod an excluded node is an exception that expires; add expires (YYYY-MM-DD)",
        ]);
        stackWith(undated, "dev");
        assert.deepEqual(await check(patchExceptionExpired, [provider]), []);
    });

    it("patch-exception-expiring: warns a week before (default warnDays 7), in one line", async () => {
        stackWith({ ...NODE, expires: inDays(7) });
        assert.deepEqual(await messages(patchExceptionExpiring, [provider]), [
            `excluded node i-0a1b2c3d4e5f60789 of patch group Windows (reason: ERP host: vendor certifies OS patches quarterly) expires on ${inDays(7)}, in 7 day(s): renew it or plan the node's patching (after it, installs patch the node again)`,
        ]);
        stackWith({ ...NODE, expires: inDays(8) });
        assert.deepEqual(await messages(patchExceptionExpiring, [provider]), []);
    });
});
