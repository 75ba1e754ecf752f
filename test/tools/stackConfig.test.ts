import { strict as assert } from "node:assert";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { ConfigError, parseEstateConfig } from "../../stacks/config/estateConfig";
import { readStackConfig, SECURE_PLACEHOLDER, securePlaceholder } from "../../tools/mock/stackConfig";

const ROOT = path.resolve(__dirname, "..", "..");

describe("tools/mock/stackConfig: encrypted values anywhere in a stack file", () => {
    let directory: string;
    before(() => {
        directory = mkdtempSync(path.join(tmpdir(), "stack-config-"));
        copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(directory, "Pulumi.yaml"));
        writeFileSync(
            path.join(directory, "Pulumi.s.yaml"),
            [
                "config:",
                "  multicloud-patching:organizationId:",
                "    secure: v1:AAAA:BBBB",
                "  multicloud-patching:notifications:",
                "    emails: [ops@example.com, {secure: 'v1:CCCC:DDDD'}]",
                "    httpsEndpoints:",
                "      - secure: v1:EEEE:FFFF",
                "    patchRunSuccess: false",
                "  multicloud-patching:environment: dev",
            ].join("\n"),
        );
    });
    after(() => rmSync(directory, { recursive: true, force: true }));

    it("replaces each nested secure value with a placeholder of its place's shape and marks the whole key secret", () => {
        const config = readStackConfig(directory, "s");
        assert.deepEqual(config.secretPaths, ["organizationId", "notifications.emails[1]", "notifications.httpsEndpoints[0]"]);
        assert.deepEqual(config.secretKeys, ["multicloud-patching:organizationId", "multicloud-patching:notifications"]);
        const notifications = JSON.parse(config.values["multicloud-patching:notifications"]);
        assert.deepEqual(notifications, {
            emails: ["ops@example.com", "offline-secret@offline-secret.invalid"],
            httpsEndpoints: ["https://offline-secret.invalid/notifications.httpsEndpoints%5B0%5D"],
            patchRunSuccess: false,
        });
        assert.equal(config.values["multicloud-patching:organizationId"], SECURE_PLACEHOLDER);
        assert.equal(config.values["multicloud-patching:environment"], "dev");
    });

    it("gives placeholders the config validator accepts where a secret makes sense", () => {
        const raw = { notifications: { emails: [securePlaceholder("notifications.emails[0]")], httpsEndpoints: [securePlaceholder("notifications.httpsEndpoints[0]")] } };
        // Parse only the notifications part through the real schema: a full estate would need accounts.
        try {
            parseEstateConfig({ environment: "dev", ...raw }, { project: "p", stack: "s" });
        } catch (error) {
            assert.ok(error instanceof ConfigError);
            assert.ok(!/notifications/.test(error.message), error.message);
        }
    });

    it("takes the committed prod stack's PagerDuty URL as a secret", () => {
        const config = readStackConfig(ROOT, "prod");
        assert.deepEqual(config.secretPaths, ["notifications.httpsEndpoints[0]"]);
        assert.ok(config.secretKeys.includes("multicloud-patching:notifications"));
    });
});
