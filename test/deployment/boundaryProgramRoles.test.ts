import { strict as assert } from "node:assert";
import * as path from "node:path";
import { PERMISSIONS_BOUNDARY_NAME } from "../../catalog/naming";
import { evaluateProgram, type Evaluation } from "../../tools/plan/evaluate";
import { evaluatedStack } from "../fixtures/programEvaluations";
import { decide } from "../support/iamSimulation";
import { accountOf, allowChecks, delegateToAccount, failedRequests, rolePolicies, TYPES } from "./deployerSimulation";
import { DEPLOYMENT_DIR } from "./fixtures";

/**
 * The boundary must never silently break a role: for every role the main program renders, each
 * (action, resource) of each Allow of its policies — inline, attached customer and AWS managed —
 * must still be Allowed under the boundary the deployment program creates in the role's account.
 */
describe("the program boundary leaves every role of the main program able to do its job", () => {
    let deployment: Evaluation;

    before(async () => {
        deployment = await evaluateProgram({ directory: DEPLOYMENT_DIR, stack: "org", program: path.join(DEPLOYMENT_DIR, "index.ts"), preview: false });
    });

    for (const stack of ["dev", "prod"]) {
        it(`${stack}: every role carries the boundary, and every Allow of its policies stays Allowed under it`, async () => {
            const main = await evaluatedStack(stack);
            const roles = main.recorder.find(TYPES.role);
            assert.ok(roles.length >= 10, `only ${roles.length} roles rendered`);
            const failures: string[] = [];
            let checked = 0;
            for (const role of roles) {
                const { arn, accountId, policies } = rolePolicies(main.recorder, role, deployment.recorder);
                assert.ok(policies.boundary, `${role.inputs["name"]} in ${accountId} has no permissions boundary`);
                for (const document of policies.identity ?? []) {
                    for (const check of await allowChecks(document, arn, accountId)) {
                        checked += 1;
                        const failed = await failedRequests(check, (request) => ({ ...policies, resourcePolicy: delegateToAccount(accountId, request.action, request.resource) }), decide);
                        failures.push(...failed.map((failure) => `${role.inputs["name"]}@${accountId}: ${failure}`));
                    }
                }
            }
            assert.ok(checked > 50, `only ${checked} (statement, action) pairs checked`);
            assert.deepEqual(failures, []);
        });

        it(`${stack}: the program's customer managed policies (e.g. the reporting reader a QuickSight role gets) work under the boundary too`, async () => {
            const main = await evaluatedStack(stack);
            const failures: string[] = [];
            for (const policy of main.recorder.find(TYPES.policy)) {
                const accountId = accountOf(main.recorder, policy);
                const boundary = deployment.recorder.find(TYPES.policy).find((candidate) => candidate.inputs["name"] === PERMISSIONS_BOUNDARY_NAME && accountOf(deployment.recorder, candidate) === accountId);
                assert.ok(boundary, `no program boundary in account ${accountId}`);
                const document = JSON.parse(policy.inputs["policy"] as string);
                const principal = `arn:aws:iam::${accountId}:role/patching-reporting-quicksight`;
                const boundaryDocument = JSON.parse(boundary.inputs["policy"] as string);
                for (const check of await allowChecks(document, principal, accountId)) {
                    const failed = await failedRequests(check, (request) => ({ identity: [document], boundary: boundaryDocument, resourcePolicy: delegateToAccount(accountId, request.action, request.resource) }), decide);
                    failures.push(...failed.map((failure) => `${policy.name}: ${failure}`));
                }
            }
            assert.deepEqual(failures, []);
        });
    }
});
