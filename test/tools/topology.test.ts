import { strict as assert } from "node:assert";
import { resolveScopes } from "../../tools/plan/scopes";
import { topologyFile, topologyMermaid } from "../../tools/plan/topology";
import { evaluatedStack } from "../fixtures/programEvaluations";

describe("tools/plan/topology: the plan's topology picture", () => {
    let picture: string;

    before(async () => {
        const evaluation = await evaluatedStack("prod");
        picture = topologyMermaid(evaluation.recorder.resources, resolveScopes(evaluation.recorder));
    });

    it("draws one box per account × Region and subscription, grouped by account, with the central Region marked", () => {
        assert.match(picture, /^flowchart LR\n/);
        for (const account of ["AWS security (111111111111)", "AWS shared-services (222222222222)", "AWS application (333333333333)", "Azure corp-azure (5f0e8a3c-1b2d-4c6e-9a7b-3d2f1e0c9b8a)"]) {
            assert.ok(picture.includes(`["${account}"]`), account);
        }
        assert.equal((picture.match(/· central/g) ?? []).length, 1);
        assert.match(picture, /n_aws_security__111111111111__us_east_1\["us-east-1 · central<br\/>\d+ resources"\]/);
    });

    it("derives the flows from what was created: Automation to every runbook location, inventory and events back, hybrid to Azure", () => {
        const edges = (label: string) => picture.split("\n").filter((line) => line.includes(`|${label}|`));
        assert.equal(edges("Automation").length, 6, "three member accounts × two Regions");
        assert.ok(edges("Automation").every((line) => line.trim().startsWith("n_aws_security__111111111111__us_east_1 ")));
        assert.equal(edges("inventory").length, 6);
        assert.equal(edges("patch-run events").length, 6, "every member location outside the central Region forwards to the central bus");
        assert.deepEqual(edges("hybrid activation").map((line) => line.trim().split(" ")[0]), ["n_aws_application__333333333333__eu_west_2"]);
    });

    it("sits next to the JSON plan", () => {
        assert.equal(topologyFile(".plan/prod.json"), ".plan/prod.mmd");
        assert.equal(topologyFile("out/plan"), "out/plan.mmd");
    });
});
