import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { CONFIG_DEFAULTS } from "../../stacks/config/defaults";
import { CONFIG_KEYS, STRUCTURED_CONFIG_KEYS } from "../../stacks/config/schema";
import { readProject } from "../../tools/mock/stackConfig";

const ROOT = path.resolve(__dirname, "..", "..");

describe("Pulumi.yaml: the declared configuration", () => {
    const project = readProject(ROOT);
    const text = readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8");
    const scalarKeys = CONFIG_KEYS.filter((key) => !(STRUCTURED_CONFIG_KEYS as readonly string[]).includes(key));

    it("is the multicloud-patching Node.js project", () => {
        assert.equal(project.name, "multicloud-patching");
    });

    it("declares every scalar key the program reads, with type and description", () => {
        assert.deepEqual(Object.keys(project.config).sort(), [...scalarKeys].sort());
        for (const key of scalarKeys) {
            assert.equal(project.config[key].type, "string", key);
            assert.ok((project.config[key].description ?? "").length > 10, `${key} needs a description`);
        }
    });

    it("declares the same defaults the code applies", () => {
        for (const [key, value] of Object.entries(CONFIG_DEFAULTS)) {
            if (typeof value === "string") {
                assert.equal(project.config[key]?.default, value, key);
            }
        }
        assert.equal(project.config.organizationId.default, "", "an empty organizationId means none");
        for (const required of ["environment", "centralAccount", "centralRegion"]) {
            assert.equal(project.config[required].default, undefined, `${required} must stay required`);
        }
    });

    it("documents each structured key (Pulumi cannot type objects) next to the declarations", () => {
        for (const key of STRUCTURED_CONFIG_KEYS) {
            assert.match(text, new RegExp(`^#\\s+${key}\\s+\\S`, "m"), key);
        }
    });
});
