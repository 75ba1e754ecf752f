import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");
const SOURCES = ["catalog", "components", "deployment", "lambda", "policies", "stacks", "tools", "scripts", "index.ts", "package.json", "package-lock.json", "tsconfig.json", "Pulumi.yaml"];

describe("tools/build.mjs: dist/ is rebuilt exactly when an input changed", function () {
    this.timeout(120_000);
    let copy: string;
    // The build record is written by builds only: its mtime tells whether the last run built.
    const record = () => path.join(copy, "dist", ".build-record.json");
    const build = () => {
        const before = statSync(record(), { throwIfNoEntry: false })?.mtimeMs;
        execFileSync(process.execPath, [path.join(copy, "tools", "build.mjs")], { cwd: copy });
        return statSync(record()).mtimeMs !== before ? "built" : "skipped";
    };

    before(() => {
        // A private copy: other builds of the real checkout must not interfere.
        copy = mkdtempSync(path.join(tmpdir(), "build-record-"));
        for (const entry of SOURCES) {
            cpSync(path.join(ROOT, entry), path.join(copy, entry), { recursive: true });
        }
        symlinkSync(path.join(ROOT, "node_modules"), path.join(copy, "node_modules"), "dir");
    });
    after(() => rmSync(copy, { recursive: true, force: true }));

    it("builds the first time, then skips while nothing changed (a rewrite with the same content included)", () => {
        assert.equal(build(), "built");
        assert.equal(build(), "skipped");
        const file = path.join(copy, "catalog", "naming.ts");
        writeFileSync(file, readFileSync(file));
        assert.equal(build(), "skipped");
    });

    it("rebuilds after a change to an input the program imports", () => {
        appendFileSync(path.join(copy, "catalog", "naming.ts"), "\nexport const BUILD_RECORD_PROBE = 1;\n");
        assert.equal(build(), "built");
        assert.equal(build(), "skipped");
    });

    it("rebuilds when a new file shadows what an import resolved to", () => {
        // index.ts imports "./stacks/estate"; a folder module of the same name is tried after the file, a .tsx before .ts.
        writeFileSync(path.join(copy, "stacks", "estate.tsx"), "export const buildEstate = () => ({ outputs: {} });\n");
        assert.equal(build(), "built");
        rmSync(path.join(copy, "stacks", "estate.tsx"));
        assert.equal(build(), "built");
    });

    it("rebuilds when an output was changed or removed behind its back, or the lockfile changed", () => {
        appendFileSync(path.join(copy, "dist", "index.js"), "\n// edited\n");
        assert.equal(build(), "built");
        rmSync(path.join(copy, "dist", "tools", "plan", "main.js"));
        assert.equal(build(), "built");
        appendFileSync(path.join(copy, "package-lock.json"), "\n");
        assert.equal(build(), "built");
        assert.equal(build(), "skipped");
    });
});
