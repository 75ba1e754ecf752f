import { strict as assert } from "node:assert";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { ConfigError, estateFromConfigValues, parseEstateConfig } from "../../../stacks/config/estateConfig";
import { editDistance } from "../../../stacks/config/configNamespaces";
import { readStackConfig, StackFileError } from "../../../tools/mock/stackConfig";
import { TEST_CONTEXT, validRawConfig } from "../../fixtures/estateConfig";

type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const ROOT = path.resolve(__dirname, "..", "..", "..");
const PROJECT = "multicloud-patching";

function errorLines(action: () => unknown): string[] {
    try {
        action();
    } catch (error) {
        assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
        return error.message.split("\n");
    }
    assert.fail("configuration was accepted");
}

/** Pulumi.dev.yaml as the engine hands it to the program, with `edit` applied to the fully qualified values. */
function devValues(edit: (values: Record<string, string>) => void = () => undefined): Record<string, string> {
    const values = { ...readStackConfig(ROOT, "dev").values };
    edit(values);
    return values;
}

const estateOf = (values: Record<string, string>, isProvider: (namespace: string) => boolean = () => false) => estateFromConfigValues(values, { project: PROJECT, stack: "dev" }, isProvider);

describe("stack config: silent typos are refused (issue 20, item 2)", () => {
    describe("keys in a namespace nobody reads", () => {
        it("a misspelled project namespace: one line naming the key and the key it probably meant", () => {
            const values = devValues((v) => {
                v[`multicloud-patchng:notifications`] = v[`${PROJECT}:notifications`];
                delete v[`${PROJECT}:notifications`];
            });
            assert.deepEqual(errorLines(() => estateOf(values)), [
                'multicloud-patchng:notifications: is read by nobody: "multicloud-patchng" is neither this project (multicloud-patching) nor a provider; did you mean multicloud-patching:notifications?',
            ]);
        });

        it("an unrelated namespace: named, without a guess; listed with the other problems", () => {
            const values = devValues((v) => {
                v["acme:owner"] = "platform";
                v[`${PROJECT}:centralRegion`] = "us-west-9";
            });
            const lines = errorLines(() => estateOf(values));
            assert.equal(lines[0], 'acme:owner: is read by nobody: "acme" is neither this project (multicloud-patching) nor a provider');
            assert.match(lines[1], /^centralRegion: "us-west-9" is not an AWS Region/);
            assert.equal(lines.length, 2);
        });

        it("accepts the engine's and the providers' namespaces, and any installed provider package", () => {
            const values = devValues((v) => {
                v["aws:region"] = "us-west-2";
                v["azure-native:location"] = "westeurope";
                v["pulumi:tags"] = "{}";
                v["mycorp-cloud:endpoint"] = "https://example.com";
            });
            assert.doesNotThrow(() => estateOf(values, (namespace) => namespace === "mycorp-cloud"));
            // The real check: @pulumi/<namespace> resolves (@pulumi/policy is installed, @pulumi/nosuch is not).
            assert.doesNotThrow(() => estateFromConfigValues(devValues((v) => (v["policy:x"] = "1")), { project: PROJECT, stack: "dev" }));
            assert.throws(() => estateFromConfigValues(devValues((v) => (v["nosuch:x"] = "1")), { project: PROJECT, stack: "dev" }), /nosuch:x: is read by nobody/);
        });

        it("edit distance", () => {
            assert.deepEqual([editDistance("multicloud-patchng", PROJECT), editDistance("", "abc"), editDistance("kitten", "sitting")], [1, 3, 3]);
        });
    });

    describe("time zones: IANA tz database names only", () => {
        const withInstallZone = (timeZone: string) => {
            const raw: Raw = validRawConfig();
            raw.patchGroups[0].install.timeZone = timeZone;
            return raw;
        };
        for (const [zone, icu] of [["PST", "America/Los_Angeles"], ["BST", "Asia/Dhaka"], ["IST", "Asia/Calcutta|Asia/Kolkata"], ["europe/london", "Europe/London"], ["SystemV/AST4", "SystemV/AST4"]] as const) {
            it(`refuses ${zone} (Intl would take it as ${icu})`, () => {
                const [line, ...rest] = errorLines(() => parseEstateConfig(withInstallZone(zone), TEST_CONTEXT));
                assert.match(line, new RegExp(`^patchGroups\\[0\\]\\.install\\.timeZone: "${zone}" is not an IANA time zone name but an ICU abbreviation or legacy id \\(ICU reads it as (${icu})\\); use a tz database name \\(e\\.g\\. UTC, Europe/London, America/Los_Angeles\\)$`));
                assert.deepEqual(rest, []);
            });
        }
        for (const zone of ["UTC", "GMT", "Etc/UTC", "Europe/London", "America/Los_Angeles", "America/Argentina/Buenos_Aires", "US/Pacific", "Etc/GMT+5", "Asia/Kolkata"]) {
            it(`accepts ${zone}`, () => {
                assert.doesNotThrow(() => parseEstateConfig(withInstallZone(zone), TEST_CONTEXT));
            });
        }
    });

    describe("unquoted numbers where text is expected", () => {
        it("an account id YAML read as a number (leading zero lost): names the key and says to quote it", () => {
            const raw: Raw = validRawConfig();
            raw.accounts[0].id = 12345678901;
            assert.deepEqual(errorLines(() => parseEstateConfig(raw, TEST_CONTEXT)), [
                'accounts[0].id: 12345678901 is not a 12-digit AWS account id: YAML read a number; quote it (unquoted, a leading 0 is dropped or the number read as octal); "012345678901" if only the leading zero was dropped',
            ]);
        });

        it("from the stack file itself: `id: 012345678901` unquoted", () => {
            const scratch = mkdtempSync(path.join(tmpdir(), "config-typos-"));
            try {
                copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(scratch, "Pulumi.yaml"));
                const dev = readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8");
                assert.ok(dev.includes('id: "444444444444"'));
                writeFileSync(path.join(scratch, "Pulumi.unquoted.yaml"), dev.replace('id: "444444444444"', "id: 044444444444").replace('id: "555555555555"', "id: 555555555555"));
                const lines = errorLines(() => estateFromConfigValues(readStackConfig(scratch, "unquoted").values, { project: PROJECT, stack: "unquoted" }));
                assert.deepEqual(lines, [
                    'accounts[0].id: 44444444444 is not a 12-digit AWS account id: YAML read a number; quote it (unquoted, a leading 0 is dropped or the number read as octal); "044444444444" if only the leading zero was dropped',
                    "accounts[1].id: 555555555555 is not a 12-digit AWS account id: YAML read a number; quote it (unquoted, a leading 0 is dropped or the number read as octal)",
                ]);
            } finally {
                rmSync(scratch, { recursive: true, force: true });
            }
        });

        it("a boolean where text is expected", () => {
            const raw: Raw = validRawConfig();
            raw.tags = { Backup: true };
            assert.deepEqual(errorLines(() => parseEstateConfig(raw, TEST_CONTEXT)), ["tags.Backup: true is not a tag value (0-256 characters, none of <>%&\\?/): YAML read a boolean; quote it"]);
        });
    });

    describe("YAML syntax errors name the file first", () => {
        for (const [description, text, expected] of [
            ["an unclosed flow sequence", "config:\n  multicloud-patching:environment: dev\n  x: [1,\n  y: z: w\n", /^Pulumi\.broken\.yaml:4:3: Flow sequence in block collection must be sufficiently indented and end with a \] \(YAML syntax\)$/],
            ["a duplicated key", "config:\n  multicloud-patching:environment: dev\n  multicloud-patching:environment: prod\n", /^Pulumi\.broken\.yaml:3:3: Map keys must be unique \(YAML syntax\)$/],
        ] as const) {
            it(description, () => {
                const scratch = mkdtempSync(path.join(tmpdir(), "config-yaml-"));
                try {
                    copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(scratch, "Pulumi.yaml"));
                    writeFileSync(path.join(scratch, "Pulumi.broken.yaml"), text);
                    assert.throws(() => readStackConfig(scratch, "broken"), (error: unknown) => error instanceof StackFileError && expected.test(error.message));
                } finally {
                    rmSync(scratch, { recursive: true, force: true });
                }
            });
        }
    });
});
