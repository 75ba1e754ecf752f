import { strict as assert } from "node:assert";
import * as path from "node:path";
import { daysLeft, patchExceptionExpired, patchExceptionExpiring, utcToday } from "../../policies/exceptions";
import { readPolicyConfigFile, resolvePolicyConfig } from "../../tools/plan/policyConfig";
import { PACK_POLICIES } from "../../tools/plan/policyRun";
import { validRawConfig } from "../fixtures/estateConfig";
import { awsProvider, CENTRAL, check, messages, useStackConfig } from "./helpers";

const provider = awsProvider("security", CENTRAL);
const ROOT = path.resolve(__dirname, "..", "..");

/** A date `days` from today (UTC), as the config writes it. */
const inDays = (days: number) => utcToday(new Date(Date.now() + days * 86_400_000));

function stackWith(rejectedPatches: unknown[], environment = "prod"): void {
    const raw = { ...validRawConfig(), environment } as unknown as { patchGroups: Record<string, unknown>[] };
    raw.patchGroups[1] = { ...raw.patchGroups[1], baselines: { WINDOWS: { rejectedPatches } } };
    useStackConfig(raw);
}

describe("policies/exceptions: rejected-patch exceptions that expire (issue 19 item 5)", () => {
    const expired = { id: "KB5034439", reason: "vendor fix pending", expires: inDays(-1) };
    const soon = { id: "KB5000002", reason: "breaks the line-of-business app", expires: inDays(3) };
    const later = { id: "KB5000003", reason: "waiting for the change board", expires: inDays(30) };

    it("daysLeft counts whole UTC days, negative once past, undefined for a malformed date", () => {
        assert.equal(daysLeft("2027-01-31", "2027-01-31"), 0);
        assert.equal(daysLeft("2027-02-07", "2027-01-31"), 7);
        assert.equal(daysLeft("2027-01-30", "2027-01-31"), -1);
        assert.equal(daysLeft("31/01/2027", "2027-01-31"), undefined);
    });

    it("patch-exception-expired names the expired exception in one line, and only it", async () => {
        stackWith([expired, soon, later, "KB5000004"], "dev");
        assert.deepEqual(await messages(patchExceptionExpired, [provider]), [
            `rejected patch KB5034439 of patch group Windows (WINDOWS) (reason: vendor fix pending) expired on ${expired.expires}: renew it with a later expires or remove it from rejectedPatches`,
        ]);
    });

    it("prod: a plain rejected id (no reason, no expires) is refused in one line; dev accepts it", async () => {
        stackWith(["KB5000004", later]);
        assert.deepEqual(await messages(patchExceptionExpired, [provider]), [
            "rejected patch KB5000004 of patch group Windows (WINDOWS) has no reason and expires: in prod a rejected patch is an exception that expires; write {id, reason, expires}",
        ]);
        stackWith(["KB5000004", later], "dev");
        assert.deepEqual(await messages(patchExceptionExpired, [provider]), []);
    });

    it("an exception holds through its expires day (UTC)", async () => {
        stackWith([{ ...expired, expires: inDays(0) }]);
        assert.deepEqual(await messages(patchExceptionExpired, [provider]), []);
    });

    it("patch-exception-expiring warns within warnDays (default 7) — not for expired or later ones", async () => {
        stackWith([expired, soon, later]);
        assert.deepEqual(await messages(patchExceptionExpiring, [provider]), [
            `rejected patch KB5000002 of patch group Windows (WINDOWS) (reason: breaks the line-of-business app) expires on ${soon.expires}, in 3 day(s): renew it or plan the patch's release`,
        ]);
        assert.equal((await messages(patchExceptionExpiring, [provider], { warnDays: 2 })).length, 0);
        assert.equal((await messages(patchExceptionExpiring, [provider], { warnDays: 30 })).length, 2);
    });

    it("is not applicable to plain ids in dev or a stack without rejected patches", async () => {
        stackWith(["KB5000004"], "dev");
        assert.deepEqual(await check(patchExceptionExpired, [provider]), []);
        stackWith([]);
        assert.deepEqual(await check(patchExceptionExpiring, [provider]), []);
    });

    it("prod config: expired is mandatory (fails the plan), expiring advisory; dev: expired mandatory too", () => {
        const levels = (env: string) => {
            const file = path.join(ROOT, "policies", `config.${env}.json`);
            const config = resolvePolicyConfig(PACK_POLICIES, readPolicyConfigFile(file), file);
            return [config.get("patch-exception-expired")?.enforcementLevel, config.get("patch-exception-expiring")?.enforcementLevel];
        };
        assert.deepEqual(levels("prod"), ["mandatory", "advisory"]);
        assert.deepEqual(levels("dev"), ["mandatory", "advisory"]);
    });
});
