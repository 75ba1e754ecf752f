/**
 * `npm run plan:diff -- <before.json> <after.json>`: compares two offline plans resource by
 * resource (URN, parent, provider, inputs). Exit 0 when identical, 1 when they differ, 2 usage.
 * Typical use: `npm run plan -- --stack prod --out /tmp/before.json` on main, the same on a
 * branch, then diff: a pure refactoring must print "no differences".
 */
import { readFileSync } from "node:fs";
import { diffPlans, isEmptyDiff, renderDiff, type PlanResource } from "./diff";

function resourcesOf(file: string): PlanResource[] {
    const plan = JSON.parse(readFileSync(file, "utf8")) as { resources?: PlanResource[] };
    if (!Array.isArray(plan.resources)) {
        throw new Error(`${file} is not a plan written by npm run plan (no "resources" list)`);
    }
    return plan.resources;
}

const files = process.argv.slice(2);
if (files.length !== 2 || files.some((file) => file.startsWith("-"))) {
    console.error("usage: npm run plan:diff -- <before.json> <after.json>");
    process.exitCode = 2;
} else {
    try {
        const diff = diffPlans(resourcesOf(files[0]), resourcesOf(files[1]));
        console.log(renderDiff(diff));
        process.exitCode = isEmptyDiff(diff) ? 0 : 1;
    } catch (error) {
        console.error(error instanceof Error ? error.message : String(error));
        process.exitCode = 2;
    }
}
