import { strict as assert } from "node:assert";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { runCli } from "./helpers";
import { adoptionTemplate, resourcesToImport } from "../../components/organization/adoption";
import { regionalTemplate, templateBody } from "../../components/organization/templates";
import { organizationPatchGroups, organizationRegions, templateContext } from "../../stacks/awsOrganization";
import { stackEstate } from "../components/organization/templateContext";

describe("ops org-adoption: adopting a moved account's retained resources (issue 16)", () => {
    let out: string;
    before(() => (out = mkdtempSync(path.join(tmpdir(), "patching-adoption-cli-"))));
    after(() => rmSync(out, { recursive: true, force: true }));
    const KEY = "11111111-2222-3333-4444-555555555555";

    it("writes the organization's adoption template and the identifiers for the account and Region, and prints the steps", async () => {
        const run = await runCli(["org-adoption", "--stack", "org", "--account-id", "123456789012", "--region", "eu-west-2", "--log-key-id", KEY, "--out", out]);
        assert.deepEqual([run.code, run.stderr], [0, ""]);
        const estate = stackEstate("org");
        const regional = regionalTemplate(templateContext(estate, { regions: organizationRegions(estate), patchGroups: organizationPatchGroups(estate) }));
        assert.equal(readFileSync(path.join(out, "template.json"), "utf8"), `${templateBody(adoptionTemplate(regional))}\n`);
        assert.deepEqual(JSON.parse(readFileSync(path.join(out, "resources-to-import.json"), "utf8")), resourcesToImport(regional, { accountId: "123456789012", region: "eu-west-2", logKeyId: KEY }));
        assert.match(run.stdout, /create-change-set --stack-name patching-adopt-123456789012-eu-west-2 --change-set-name adopt --change-set-type IMPORT/);
        assert.match(run.stdout, /import-stacks-to-stack-set --stack-set-name patching-member-regional .*\n.*--call-as DELEGATED_ADMIN --region us-east-1/);
    });

    const REFUSALS: [string[], RegExp][] = [
        [["--stack", "prod", "--account-id", "123456789012", "--region", "eu-west-2"], /ops: --stack: prod has no organization block/],
        [["--stack", "org", "--account-id", "12345", "--region", "eu-west-2"], /ops: --account-id: "12345" is not a 12-digit AWS account id/],
        [["--stack", "org", "--account-id", "123456789012", "--region", "ap-south-1"], /ops: --region: "ap-south-1" is not a target Region of org \(eu-central-1, eu-west-2, us-east-1, us-west-2\)/],
        [["--stack", "org", "--account-id", "123456789012", "--region", "eu-west-2"], /ops: --log-key-id: adoption: .* is a KMS key; give its key id/],
    ];
    for (const [args, message] of REFUSALS) {
        it(`refuses ${args.join(" ")} with exit 2`, async () => {
            const run = await runCli(["org-adoption", ...args, "--out", out]);
            assert.equal(run.code, 2);
            assert.match(run.stderr, message);
        });
    }
});
