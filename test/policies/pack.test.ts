import { strict as assert } from "node:assert";
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import ts from "typescript";
import * as domains from "../../policies/domains";
import { resolvePolicyConfig } from "../../tools/plan/policyConfig";
import { isPolicy, PACK_POLICIES } from "../../tools/plan/policyRun";

const POLICIES_DIR = path.resolve(__dirname, "..", "..", "policies");

/** `module/exportName` of each element of `new PolicyPack(…, { policies: [...] })` in the entry file, in order. */
function entryPolicies(): string[] {
    const file = path.join(POLICIES_DIR, "index.ts");
    const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
    const importedFrom = new Map<string, string>();
    const listed: string[] = [];
    let packs = 0;
    const visit = (node: ts.Node) => {
        if (ts.isImportDeclaration(node) && node.importClause?.namedBindings && ts.isNamedImports(node.importClause.namedBindings)) {
            const module = (node.moduleSpecifier as ts.StringLiteral).text.replace(/^\.\//, "");
            node.importClause.namedBindings.elements.forEach((element) => importedFrom.set(element.name.text, `${module}/${(element.propertyName ?? element.name).text}`));
        }
        if (ts.isNewExpression(node) && node.expression.getText() === "PolicyPack") {
            packs += 1;
            const options = node.arguments?.[1];
            assert.ok(options && ts.isObjectLiteralExpression(options), "new PolicyPack(name, { policies: [...] })");
            const property = options.properties.find((p) => p.name?.getText() === "policies");
            assert.ok(property && ts.isPropertyAssignment(property) && ts.isArrayLiteralExpression(property.initializer), "policies: [ ... ] is an explicit list");
            for (const element of property.initializer.elements) {
                assert.ok(ts.isIdentifier(element), `list element ${element.getText()} is not a plain identifier`);
                listed.push(importedFrom.get(element.text) ?? `(not imported) ${element.text}`);
            }
        }
        ts.forEachChild(node, visit);
    };
    visit(source);
    assert.equal(packs, 1, "the entry file constructs exactly one PolicyPack");
    return listed;
}

/** Every TypeScript file of the pack, relative to policies/. */
function packFiles(): string[] {
    return readdirSync(POLICIES_DIR, { recursive: true, encoding: "utf8" }).filter((file) => file.endsWith(".ts") && !file.startsWith("node_modules"));
}

function exportedPolicies(): string[] {
    return Object.entries(domains).flatMap(([module, exports]) => Object.entries(exports).filter(([, value]) => isPolicy(value)).map(([name]) => `${module}/${name}`));
}

describe("policies/: the pack", () => {
    it("lists every exported policy in the entry file exactly once, and nothing else", () => {
        const listed = entryPolicies();
        const duplicates = listed.filter((entry, index) => listed.indexOf(entry) !== index);
        assert.deepEqual(duplicates, []);
        assert.deepEqual([...listed].sort(), exportedPolicies().sort());
    });

    it("constructs the PolicyPack nowhere but the entry file", () => {
        const constructing = packFiles().filter((file) => /new PolicyPack\(/.test(readFileSync(path.join(POLICIES_DIR, file), "utf8")));
        assert.deepEqual(constructing, ["index.ts"]);
    });

    it("imports nothing from outside the policies/ folder (`pulumi policy publish` ships only that folder)", () => {
        for (const file of packFiles()) {
            const specifiers = [...readFileSync(path.join(POLICIES_DIR, file), "utf8").matchAll(/from "(\.[^"]*)"/g)].map((match) => match[1]);
            for (const specifier of specifiers) {
                const target = path.resolve(POLICIES_DIR, path.dirname(file), specifier);
                assert.ok(target.startsWith(POLICIES_DIR + path.sep), `${file} imports ${specifier}`);
            }
        }
    });

    it("gives each policy a unique kebab-case name, a description and a default enforcement level", () => {
        const names = PACK_POLICIES.map((policy) => policy.name);
        assert.equal(new Set(names).size, names.length);
        for (const policy of PACK_POLICIES) {
            assert.match(policy.name, /^[a-z0-9]+(-[a-z0-9]+)*$/);
            assert.ok(policy.description.length > 20, policy.name);
            assert.ok(policy.enforcementLevel === "mandatory" || policy.enforcementLevel === "advisory", policy.name);
            assert.equal(policy.configSchema?.properties?.["enforcementLevel"], undefined, `${policy.name}: enforcementLevel is reserved`);
        }
    });

    it("has configSchema defaults that satisfy their own schema", () => {
        const resolved = resolvePolicyConfig(PACK_POLICIES, {}, "defaults");
        for (const policy of PACK_POLICIES) {
            const knobs = Object.keys(policy.configSchema?.properties ?? {});
            assert.deepEqual(Object.keys(resolved.get(policy.name)?.properties ?? {}).sort(), knobs.sort(), policy.name);
            const again = resolvePolicyConfig([policy], { [policy.name]: { ...resolved.get(policy.name)?.properties } }, "defaults again");
            assert.deepEqual(again.get(policy.name)?.properties, resolved.get(policy.name)?.properties);
        }
    });

    it("ships a config per environment, prod all mandatory", () => {
        const read = (environment: string) => JSON.parse(readFileSync(path.join(POLICIES_DIR, `config.${environment}.json`), "utf8"));
        const prod = resolvePolicyConfig(PACK_POLICIES, read("prod"), "config.prod.json");
        // Advisory by design (configurable to mandatory): the safe-rollout brake check (issue 17) and the
        // week-before-expiry warning on exceptions (issue 19; the expired check itself is mandatory).
        const advisory = ["patch-exception-expiring", "rollout-prod-installs-gated"];
        assert.deepEqual([...prod.entries()].filter(([name, c]) => c.enforcementLevel !== "mandatory" && !advisory.includes(name)), []);
        assert.deepEqual(advisory.map((name) => prod.get(name)?.enforcementLevel), ["advisory", "advisory"]);
        assert.equal(prod.get("patch-exception-expired")?.enforcementLevel, "mandatory");
        const dev = resolvePolicyConfig(PACK_POLICIES, read("dev"), "config.dev.json");
        assert.equal(dev.get("s3-bucket-public-access-blocked")?.enforcementLevel, "mandatory");
        assert.equal(dev.get("estate-coverage")?.enforcementLevel, "advisory");
    });

    it("declares package.json dependencies pinned like the repository's", () => {
        const pack = JSON.parse(readFileSync(path.join(POLICIES_DIR, "package.json"), "utf8"));
        const root = JSON.parse(readFileSync(path.join(POLICIES_DIR, "..", "package.json"), "utf8"));
        assert.match(pack.version, /^\d+\.\d+\.\d+$/, "PolicyPack reads its version from package.json");
        assert.equal(pack.main, "index.ts");
        for (const [name, version] of Object.entries(pack.dependencies as Record<string, string>)) {
            assert.equal(version, root.dependencies[name] ?? root.devDependencies[name], name);
        }
    });
});
