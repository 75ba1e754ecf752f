import { strict as assert } from "node:assert";
import { readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { DEPLOYMENT_DEFAULTS } from "../../deployment/configSchema";
import { buildImportGraph, sourceFiles } from "../../tools/architecture/importGraph";

const ROOT = path.resolve(__dirname, "..", "..");
type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const workflow = (name: string): Raw => parse(readFileSync(path.join(ROOT, ".github", "workflows", name), "utf8")) as Raw;

/** Issue 20, item 7: what CI and Deployments claim about the program is true. */
describe("CI truths (issue 20)", () => {
    describe("a push deploys when anything the program imports or reads changes", () => {
        const graph = buildImportGraph(ROOT);
        const reached = new Set<string>(["index.ts"]);
        const pending = ["index.ts"];
        while (pending.length > 0) {
            const file = pending.pop() as string;
            for (const edge of graph.edges.filter((e) => e.from === file && !e.external && !reached.has(e.to))) {
                reached.add(edge.to);
                pending.push(edge.to);
            }
        }
        const topFolders = readdirSync(ROOT).filter((entry) => !entry.startsWith(".") && !["node_modules", "dist"].includes(entry) && statSync(path.join(ROOT, entry)).isDirectory());
        // Files the program opens at run time: a top-level folder named in a path.join/resolve call
        // (scripts/ssm-agent: the Azure agent scripts and key; lambda/: the enforcer's bundle).
        const readFolders = new Map<string, string>();
        for (const file of reached) {
            for (const call of readFileSync(path.join(ROOT, file), "utf8").matchAll(/path\.(?:join|resolve)\(([^)]*)\)/g)) {
                for (const literal of call[1].matchAll(/"([^"]+)"/g)) {
                    if (topFolders.includes(literal[1])) {
                        readFolders.set(literal[1], file);
                    }
                }
            }
        }
        const importedFolders = [...reached].filter((file) => file.includes("/")).map((file) => file.split("/")[0]);
        const folders = [...new Set([...importedFolders, ...readFolders.keys()])].sort();

        it("finds the run-time reads, scripts/ssm-agent included", () => {
            assert.equal(readFolders.get("scripts"), "components/azure/azureAgentScript.ts");
            assert.ok(folders.includes("scripts") && folders.includes("lambda") && folders.includes("catalog"), folders.join(", "));
        });

        it("Deployments' deployPaths and the dev workflow's path filter cover every such folder and the files the runtime reads", () => {
            const filter = workflow("deploy-dev.yml").on.push.paths as string[];
            // Pulumi.yaml/Pulumi.<stack>.yaml (project and config), package*.json (npm ci), tsconfig.json (tsx compiles with it).
            const files = ["index.ts", "Pulumi.yaml", "Pulumi.*.yaml", "package.json", "package-lock.json", "tsconfig.json"];
            for (const paths of [DEPLOYMENT_DEFAULTS.deployPaths as readonly string[], filter]) {
                for (const needed of [...folders.map((folder) => `${folder}/**`), ...files]) {
                    assert.ok(paths.includes(needed), `${needed} missing from ${paths.join(", ")}`);
                }
            }
        });
    });

    it("GitHub workflows: tests on Node 22 and 24, every deploy job on Node 22", () => {
        assert.deepEqual(workflow("pull-request.yml").jobs.test.strategy.matrix.node, [22, 24]);
        for (const name of ["pull-request.yml", "deploy-dev.yml", "deploy-prod.yml"]) {
            for (const [job, spec] of Object.entries(workflow(name).jobs as Raw)) {
                const setup = (spec.steps as Raw[]).find((step) => String(step.uses).startsWith("actions/setup-node@"));
                assert.ok(setup !== undefined, `${name} ${job} sets up Node`);
                assert.equal(setup.with["node-version"], job === "test" ? "${{ matrix.node }}" : 22, `${name} ${job}`);
            }
        }
    });

    it("no test asserts on wall-clock time (timings are benchmark figures: npm run bench)", () => {
        const timing = /assert\.ok\(\s*[A-Za-z_.]*(?:ms|Ms|elapsed|evaluated|duration|took|seconds)[A-Za-z_]*\s*<=?\s*\d/;
        const offenders = sourceFiles(ROOT)
            .filter((file) => file.startsWith("test/"))
            .filter((file) => timing.test(readFileSync(path.join(ROOT, file), "utf8")));
        assert.deepEqual(offenders, []);
    });

    it("type-aware lint: no-floating-promises and no-misused-promises are errors on the TypeScript files, with type information", async () => {
        const { ESLint } = await import("eslint");
        const eslint = new ESLint({ cwd: ROOT });
        for (const file of ["index.ts", "stacks/config/estateConfig.ts", "tools/ops/cli.ts", "test/tools/ciTruths.test.ts"]) {
            const config = (await eslint.calculateConfigForFile(path.join(ROOT, file))) as Raw;
            for (const rule of ["@typescript-eslint/no-floating-promises", "@typescript-eslint/no-misused-promises"]) {
                assert.deepEqual([file, rule, [config.rules[rule]].flat()[0]], [file, rule, 2]);
            }
            assert.equal(config.languageOptions.parserOptions.projectService, true, file);
        }
    });

    it("npm ci runs no unreviewed install script: package.json allowScripts decides every dependency that has one", () => {
        const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { allowScripts?: Record<string, boolean> };
        const lock = JSON.parse(readFileSync(path.join(ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, { name?: string; hasInstallScript?: boolean }> };
        const withScripts = Object.entries(lock.packages)
            .filter(([, entry]) => entry.hasInstallScript === true)
            // An aliased install (docker-classic → npm:@pulumi/docker) is matched by its real name, as npm does.
            .map(([location, entry]) => entry.name ?? location.slice(location.lastIndexOf("node_modules/") + "node_modules/".length))
            .sort();
        assert.ok(withScripts.length > 0, "package-lock.json records install scripts");
        assert.deepEqual(Object.keys(pkg.allowScripts ?? {}).sort(), [...new Set(withScripts)]);
        // esbuild's postinstall checks and links its platform binary, which the plan bundles the Lambda with.
        assert.equal(pkg.allowScripts?.esbuild, true);
    });
});
