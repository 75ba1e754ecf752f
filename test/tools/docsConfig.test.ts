import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import { estateConfigSchema } from "../../stacks/config/schema";
import { configKeys, type ConfigKey } from "../../tools/docs/configKeys";
import { cell, currentSection, readmeDisagreements, renderConfigTable, replaceSection, BEGIN_MARKER, END_MARKER } from "../../tools/docs/configReference";

const ROOT = path.resolve(__dirname, "..", "..");
const README = readFileSync(path.join(ROOT, "README.md"), "utf8");
const KEYS = configKeys(estateConfigSchema);
const find = (keys: readonly ConfigKey[], keyPath: string): ConfigKey => {
    const key = keys.find((candidate) => candidate.path === keyPath);
    assert.ok(key, `${keyPath} is not among ${keys.map((candidate) => candidate.path).join(", ")}`);
    return key;
};

describe("tools/docs: the README's config reference is the zod schema's", () => {
    it("the section between the markers is exactly what npm run docs:config renders", () => {
        const section = currentSection(README);
        assert.ok(section !== undefined, "README.md lacks the config reference markers");
        assert.deepEqual(readmeDisagreements(KEYS, section), [], "run npm run docs:config");
        assert.equal(section, renderConfigTable(KEYS), "README.md config reference is stale: run npm run docs:config");
    });

    it("lists the keys the hand-written table had forgotten (issue 20), the organization block included", () => {
        const documented = [...(currentSection(README) ?? "").matchAll(/^\| `([^`]+)` \|/gm)].map((match) => match[1]);
        for (const keyPath of [
            "hybrid",
            "hybrid.registrationLimit",
            "azureTags",
            "azureTags.owner",
            "notifications.patchRunSuccess",
            "reporting.quickSightPrincipalArn",
            "organization.callAs",
            "organization.targets[].excludeAccounts",
            "organization.operationPreferences.regionConcurrencyType",
            "patchGroups[].baselines.<OS>.approvalRules[].filters",
            "logAccess.defaultHostManagement[].regions",
        ]) {
            assert.ok(documented.includes(keyPath), keyPath);
        }
    });

    it("reads every top-level key of the schema, each with a description", () => {
        const topLevel = KEYS.filter((key) => !/[.[]/.test(key.path));
        assert.deepEqual(
            topLevel.map((key) => key.path),
            Object.keys(estateConfigSchema.shape),
        );
        assert.deepEqual(topLevel.filter((key) => key.description === "").map((key) => key.path), [], "describe() these keys in stacks/config/schema.ts");
    });

    it("takes defaults, required and allowed values from the schema itself", () => {
        assert.equal(find(KEYS, "environment").default, "required");
        assert.equal(find(KEYS, "environment").allowed, "one of dev, prod");
        assert.equal(find(KEYS, "hybrid.rotationDays").default, "`14`");
        assert.match(find(KEYS, "hybrid.rotationDays").allowed, /^an integer from 1 to 30 /);
        assert.equal(find(KEYS, "reporting.quickSightPrincipalArn").default, "none");
        assert.equal(find(KEYS, "patchGroups[].approveAfterDays").default, "`{dev: 0, prod: 7}`");
        assert.equal(find(KEYS, "logStorage").default, "each key's default");
        assert.match(find(KEYS, "patchGroups[].operatingSystems").allowed, /, each one of AMAZON_LINUX_2, .*WINDOWS$/);
        assert.match(find(KEYS, "tags").allowed, /; keys: a tag key \(1-128 characters.*; values: a tag value /);
        // A replaced key is documented as refused, with the validator's pointer to its replacement.
        assert.match(find(KEYS, "compliance.remediationOperation").allowed, /^refused: was replaced by compliance\.remediation\.mode/);
        // true/false shorthand of remediation (z.preprocess) still lists the object's keys.
        assert.equal(find(KEYS, "compliance.remediation.mode").default, '`"install"`');
    });

    it("walks nested objects, lists, maps and wrappers of a schema it has never seen", () => {
        const schema = z.strictObject({
            name: z.string().describe("the name"),
            size: z.number().default(3),
            items: z.array(z.strictObject({ id: z.string(), kinds: z.array(z.enum(["a", "b"])).optional() })).default([]),
            byOs: z.record(z.enum(["X", "Y"]).describe("OS"), z.strictObject({ on: z.boolean() })),
            byName: z.record(z.string(), z.strictObject({ off: z.boolean() })),
            labels: z.record(z.string(), z.string()),
        });
        const keys = configKeys(schema);
        assert.deepEqual(
            keys.map((key) => [key.path, key.default]),
            [
                ["name", "required"],
                ["size", "`3`"],
                ["items", "`[]`"],
                ["items[].id", "required"],
                ["items[].kinds", "none"],
                ["byOs", "required"],
                ["byOs.<OS>.on", "required"],
                ["byName", "required"],
                ["byName.<key>.off", "required"],
                ["labels", "required"],
            ],
        );
        assert.equal(find(keys, "name").description, "the name");
        const either = z.union([z.string({ error: "is not a word" }), z.number({ error: "is not a count" })]);
        assert.equal(configKeys(z.strictObject({ value: either })).at(0)?.allowed, "a word, or a count");
        assert.equal(configKeys(z.strictObject({ value: z.union([z.literal("all"), either]) })).at(0)?.allowed, '"all", or a word, or a count');
    });
});

describe("tools/docs: disagreements between README and schema are named key by key", () => {
    const section = renderConfigTable(KEYS);

    it("a key missing from the README", () => {
        const withoutHybrid = section
            .split("\n")
            .filter((line) => !line.startsWith("| `hybrid.rotationDays` |"))
            .join("\n");
        assert.deepEqual(readmeDisagreements(KEYS, withoutHybrid), ["hybrid.rotationDays: in the schema, missing from the README"]);
    });

    it("a README key the schema does not have", () => {
        const extra = `${section}\n| \`hybrid.rotation\` | an integer | \`14\` |  |`;
        assert.deepEqual(readmeDisagreements(KEYS, extra), ["hybrid.rotation: in the README, not a key of the schema"]);
    });

    it("a stale default", () => {
        const changed = KEYS.map((key) => (key.path === "reporting.notReportingDays" ? { ...key, default: "`14`" } : key));
        assert.deepEqual(readmeDisagreements(changed, section), ["reporting.notReportingDays: README default `7` is stale; the schema's is `14`"]);
    });
});

describe("tools/docs: rendering", () => {
    it("escapes what Markdown would eat: <placeholders>, backslashes, pipes, word-edge underscores", () => {
        assert.equal(cell("arn:aws:iam::<account>:role/<name>"), "arn:aws:iam::\\<account\\>:role/\\<name\\>");
        assert.equal(cell("none of <>%&\\?/"), "none of \\<\\>%&\\\\?/");
        assert.equal(cell("true | {mode?}"), "true \\| {mode?}");
        assert.equal(cell("AMAZON_LINUX_2, not starting with _"), "AMAZON_LINUX_2, not starting with \\_");
    });

    it("rewrites only the text between the markers, and refuses a README without them", () => {
        const readme = `# t\n\nbefore\n${BEGIN_MARKER}\nold\n${END_MARKER}\nafter\n`;
        assert.equal(replaceSection(readme, "new"), `# t\n\nbefore\n${BEGIN_MARKER}\nnew\n${END_MARKER}\nafter\n`);
        assert.throws(() => replaceSection("# no markers", "new"), /no config reference markers/);
    });

    it("renders one table row per key, with no blank line inside the table", () => {
        const table = renderConfigTable(KEYS);
        assert.equal(table.split("\n").length, KEYS.length + 2);
        assert.ok(!/\n\s*\n/.test(table));
    });
});
