import { strict as assert } from "node:assert";
import { associationScheduleProblems } from "../../catalog/inventoryAssociation";

describe("catalog/inventoryAssociation: State Manager schedules", () => {
    const cases: [string, string | undefined][] = [
        ["rate(12 hours)", undefined],
        ["rate(30 minutes)", undefined],
        ["rate(1 day)", undefined],
        ["rate(29 minutes)", "runs more often than every 30 minutes"],
        ["rate(1 days)", 'must say "1 day"'],
        ["rate(2 hour)", 'must say "2 hours"'],
        ["rate(0 hours)", 'must say "1 hour"'],
        ["cron(0 3 * * ? *)", "is not a rate expression"],
    ];
    for (const [expression, problem] of cases) {
        it(`${expression} → ${problem ?? "valid"}`, () => {
            const problems = associationScheduleProblems(expression);
            if (problem === undefined) {
                assert.deepEqual(problems, []);
            } else {
                assert.equal(problems.length, 1);
                assert.ok(problems[0].startsWith(problem), problems[0]);
            }
        });
    }
});
