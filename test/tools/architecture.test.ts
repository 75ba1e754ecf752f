import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { DEPLOYMENT_DEFAULTS } from "../../deployment/configSchema";
import { importCycles, looseComponentFiles, ruleViolations } from "../../tools/architecture/dependencyRules";
import { buildImportGraph, sourceFiles, type ImportGraph } from "../../tools/architecture/importGraph";

const ROOT = path.resolve(__dirname, "..", "..");

/** The real project graph with one file's text replaced (or added). */
function graphWith(file: string, text: (original: string) => string): ImportGraph {
    const files = [...new Set([...sourceFiles(ROOT), file])].sort();
    const read = (name: string): string => {
        let original = "";
        try {
            original = readFileSync(path.join(ROOT, name), "utf8");
        } catch {
            // an added file starts empty
        }
        return name === file ? text(original) : original;
    };
    return buildImportGraph(ROOT, files, read);
}

describe("tools/architecture: the layering rules over the real import graph", () => {
    const graph = buildImportGraph(ROOT);

    it("reads the whole program: every folder, type-only and dynamic imports included", () => {
        for (const folder of ["catalog/", "components/", "stacks/config/", "policies/", "lambda/", "tools/", "test/"]) {
            assert.ok(graph.files.some((file) => file.startsWith(folder)), folder);
        }
        const schemaImports = graph.edges.filter((edge) => edge.from === "stacks/config/schemaEstate.ts").map((edge) => edge.to);
        assert.ok(schemaImports.includes("catalog/patchBaselines.ts"), schemaImports.join(", "));
        const estateModel = graph.edges.filter((edge) => edge.from === "stacks/config/estateModel.ts" && !edge.external);
        assert.ok(estateModel.length >= 5, "estateModel's import type lines are edges too");
    });

    it("holds today: no forbidden import, no cycle, nothing loose at the root of components/", () => {
        assert.deepEqual(ruleViolations(graph), []);
        assert.deepEqual(importCycles(graph), []);
        assert.deepEqual(looseComponentFiles(graph.files), []);
    });

    it("fails when a config file imports a component (even type-only)", () => {
        const bad = graphWith("stacks/config/schema.ts", (text) => `import type { PatchBaselinesArgs } from "../../components/baselines/patchBaselines";\n${text}`);
        assert.deepEqual(ruleViolations(bad), [
            'stacks/config/schema.ts imports "../../components/baselines/patchBaselines" (components/baselines/patchBaselines.ts): the config never imports components; allowed: stacks/config/, catalog/ and npm packages',
        ]);
    });

    it("fails when a config file reaches the wiring (which would bring components in)", () => {
        const bad = graphWith("stacks/config/crossChecks.ts", (text) => `import { dataSyncWriters } from "../awsData";\n${text}`);
        assert.equal(ruleViolations(bad).length, 1);
    });

    const cases: [string, string, string, RegExp][] = [
        ["catalog importing a component", "catalog/naming.ts", 'import { SecureBucket } from "../components/storage/secureBucket";', /catalog stands on the ground floor/],
        ["a component importing the config", "components/baselines/baselineRules.ts", 'import type { Estate } from "../../stacks/config/estateModel";', /components never import the wiring or the tools/],
        ["a component importing a tool", "components/storage/secureBucket.ts", 'import { promiseOf } from "../../tools/mock/promiseOf";', /components never import the wiring or the tools/],
        ["the pack importing the program", "policies/iam.ts", 'import { MANAGED_POLICIES } from "../components/identity/iamDocuments";', /the policy pack stands alone/],
        ["the Lambda importing Pulumi", "lambda/ssmRoleEnforcer/settings.ts", 'import * as pulumi from "@pulumi/pulumi";', /the Lambda carries no Pulumi/],
        ["the Lambda importing a component", "lambda/ssmRoleEnforcer/settings.ts", 'import { MANAGED_POLICIES } from "../../components/identity/iamDocuments";', /the Lambda carries no Pulumi and no components/],
    ];
    for (const [description, file, line, rule] of cases) {
        it(`fails on ${description}`, () => {
            const violations = ruleViolations(graphWith(file, (text) => `${line}\n${text}`));
            assert.equal(violations.length, 1, violations.join("\n"));
            assert.match(violations[0], rule);
        });
    }

    it("finds an import cycle, and names its files in order", () => {
        const bad = graphWith("catalog/operatingSystems.ts", (text) => `import { PATCH_FILTER_KEYS } from "./patchBaselines";\n${text}`);
        assert.deepEqual(importCycles(bad), [["catalog/operatingSystems.ts", "catalog/patchBaselines.ts"]]);
    });

    it("flags a file left at the root of components/", () => {
        assert.deepEqual(looseComponentFiles([...graph.files, "components/naming.ts"]), ["components/naming.ts"]);
    });

    it("deploys on a push that touches anything the program imports or ships (Deployments and the dev workflow)", () => {
        const reached = new Set<string>(["index.ts"]);
        const pending = ["index.ts"];
        while (pending.length > 0) {
            const file = pending.pop()!;
            for (const edge of graph.edges.filter((e) => e.from === file && !e.external && !reached.has(e.to))) {
                reached.add(edge.to);
                pending.push(edge.to);
            }
        }
        // scripts/ is read from disk at run time (the Azure agent scripts), not imported.
        const folders = [...new Set([...reached].filter((file) => file.includes("/")).map((file) => file.split("/")[0])), "scripts"].sort();
        assert.deepEqual(folders, ["catalog", "components", "lambda", "scripts", "stacks"]);
        for (const folder of folders) {
            assert.ok((DEPLOYMENT_DEFAULTS.deployPaths as readonly string[]).includes(`${folder}/**`), `${folder}/** missing from deployPaths`);
        }
    });
});
