import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as path from "node:path";

/**
 * Problems botocore's service model finds in an AWS API request (validateRequest.py beside this
 * file: shapes, types, required members, and the model's lengths, counts and patterns). Empty = the
 * request is what the API accepts as far as its published model says.
 */
export function apiProblems(service: string, operation: string, request: object): string[] {
    const check = spawnSync("python3", [path.join(__dirname, "validateRequest.py"), service, operation], { input: JSON.stringify(request), encoding: "utf8" });
    assert.equal(check.status, 0, check.stderr);
    return (JSON.parse(check.stdout) as { problems: string[] }).problems;
}
