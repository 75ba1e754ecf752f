import { strict as assert } from "node:assert";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { evaluateProgram } from "../../tools/plan/evaluate";

const ROOT = path.resolve(__dirname, "..", "..");

describe("tools/plan/evaluate: failures the program raises after its module body ran", function () {
    this.timeout(60_000);
    let directory: string;

    before(() => {
        directory = mkdtempSync(path.join(tmpdir(), "plan-evaluate-"));
        copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(directory, "Pulumi.yaml"));
        writeFileSync(path.join(directory, "Pulumi.late.yaml"), "config: {}\n");
    });
    after(() => rmSync(directory, { recursive: true, force: true }));

    // Guards the wait after the last settle (now event-loop turns instead of 10 ms timers): an apply
    // that throws surfaces only as an unhandled rejection once the SDK's RPCs have settled.
    it("an apply that throws while a resource's inputs serialize fails the evaluation with its message", async () => {
        const program = path.join(directory, "program.js");
        writeFileSync(
            program,
            [
                `const pulumi = require(${JSON.stringify(require.resolve("@pulumi/pulumi"))});`,
                'class Probe extends pulumi.CustomResource { constructor(name, args) { super("test:index:Probe", name, args); } }',
                'new Probe("fine", { value: 1 });',
                'new Probe("broken", { value: pulumi.output(1).apply(() => { throw new Error("late failure inside apply"); }) });',
            ].join("\n"),
        );
        await assert.rejects(evaluateProgram({ directory, stack: "late", program }), /late failure inside apply/);
    });
});
