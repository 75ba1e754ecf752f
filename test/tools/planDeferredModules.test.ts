import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { DEFERRED_MODULES, deferModules } from "../../tools/plan/deferredModules";

const loads = () => (globalThis as { deferredProbeLoads?: number }).deferredProbeLoads ?? 0;

describe("tools/plan/deferredModules: modules the SDK loads but the offline plan never uses, loaded on first use", () => {
    let directory: string;
    const probe = (name: string, exports: string) => {
        const file = path.join(directory, `${name}.js`);
        writeFileSync(file, `globalThis.deferredProbeLoads = (globalThis.deferredProbeLoads ?? 0) + 1;\nmodule.exports = ${exports};\n`);
        return file;
    };

    before(() => (directory = mkdtempSync(path.join(tmpdir(), "deferred-"))));
    after(() => rmSync(directory, { recursive: true, force: true }));

    it("requiring a deferred module loads nothing; the first use loads it, once, and it behaves as itself", () => {
        const file = probe("object", '{ value: 42, greet: (who) => `hello ${who}` }');
        assert.deepEqual(deferModules([file], (name) => name), [file]);
        const before = loads();
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const deferred = require(file) as { value: number; greet(who: string): string; __esModule: boolean };
        assert.equal(loads(), before, "not loaded by require");
        assert.equal(deferred.__esModule, true, "so TypeScript's __importStar does not enumerate (and load) it");
        assert.equal(deferred.value, 42);
        assert.equal(loads(), before + 1);
        assert.equal(deferred.greet("plan"), "hello plan");
        assert.ok("value" in deferred);
        assert.equal(loads(), before + 1, "loaded once");
    });

    it("a module whose export is a class can still be constructed and called", () => {
        const file = probe("klass", "class Probe { constructor(x) { this.x = x; } }");
        deferModules([file], (name) => name);
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const Deferred = require(file) as new (x: number) => { x: number };
        assert.equal(new Deferred(7).x, 7);
    });

    it("leaves a module alone that is already loaded", () => {
        const file = probe("loaded", "{ ready: true }");
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        require(file);
        assert.deepEqual(deferModules([file], (name) => name), []);
    });

    it("the plan defers only modules the SDK can resolve", () => {
        for (const name of DEFERRED_MODULES) {
            assert.ok(path.isAbsolute(require.resolve(name, { paths: [path.dirname(require.resolve("@pulumi/pulumi/package.json"))] })), name);
        }
    });
});
