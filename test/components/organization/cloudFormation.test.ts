import { strict as assert } from "node:assert";
import { ACCOUNT_ID_MARKER, escapeForSub, getAtt, hasMarker, logicalId, ref, REGION_MARKER, resolveSub, RETAIN, sub } from "../../../components/organization/cloudFormation";

/**
 * The Fn::Sub plumbing of the StackSet templates, checked against the CloudFormation reference:
 * Fn::Sub substitutes `${AWS::AccountId}` / `${AWS::Region}` per stack instance, and renders
 * `${!Literal}` as the literal `${Literal}` ("To write a dollar sign and curly braces (${})
 * literally, add an exclamation point (!) after the open curly brace"); outside Fn::Sub a `${` is
 * plain text. Logical ids are alphanumeric (template anatomy, "Resources").
 */
const AT = { accountId: "123456789012", region: "eu-west-1" };

describe("components/organization/cloudFormation: markers and Fn::Sub", () => {
    it("uses the pseudo parameters Fn::Sub resolves per stack instance as markers", () => {
        assert.equal(ACCOUNT_ID_MARKER, "${AWS::AccountId}");
        assert.equal(REGION_MARKER, "${AWS::Region}");
    });

    it("sees a marker anywhere in a string, and nothing else as one", () => {
        assert.equal(hasMarker(`arn:aws:iam::${ACCOUNT_ID_MARKER}:root`), true);
        assert.equal(hasMarker(`logs-${REGION_MARKER}`), true);
        assert.equal(hasMarker("${aws:SourceAccount}"), false);
        assert.equal(hasMarker("${AWS::Partition}"), false);
        assert.equal(hasMarker("plain"), false);
    });

    it("escapes every ${ but the two markers, so IAM policy variables stay literal", () => {
        assert.equal(
            escapeForSub("b-${AWS::AccountId}-${AWS::Region}/${aws:SourceAccount}/${aws:username}"),
            "b-${AWS::AccountId}-${AWS::Region}/${!aws:SourceAccount}/${!aws:username}",
        );
        // Only the exact markers are kept: a longer name with the same start is escaped too.
        assert.equal(escapeForSub("${AWS::AccountIdentity}${AWS::RegionName}"), "${!AWS::AccountIdentity}${!AWS::RegionName}");
        assert.equal(escapeForSub("no variables"), "no variables");
    });

    it("wraps exactly the marked strings, at any depth, and copies everything else with its key order", () => {
        const input = {
            Name: `key-${REGION_MARKER}`,
            Plain: "${aws:SourceAccount} stays as it is outside Fn::Sub",
            List: ["a", `arn:aws:iam::${ACCOUNT_ID_MARKER}:root`, 3],
            Nested: { Enabled: true, Count: 0, Nothing: null, Deeper: [{ Arn: `${ACCOUNT_ID_MARKER}/\${aws:SourceAccount}` }] },
        };
        const output = sub(input);
        assert.deepEqual(output, {
            Name: { "Fn::Sub": "key-${AWS::Region}" },
            Plain: "${aws:SourceAccount} stays as it is outside Fn::Sub",
            List: ["a", { "Fn::Sub": "arn:aws:iam::${AWS::AccountId}:root" }, 3],
            Nested: { Enabled: true, Count: 0, Nothing: null, Deeper: [{ Arn: { "Fn::Sub": "${AWS::AccountId}/${!aws:SourceAccount}" } }] },
        });
        assert.deepEqual(Object.keys(output as object), ["Name", "Plain", "List", "Nested"]);
        assert.equal(sub(undefined), undefined);
    });

    it("resolves its own output as CloudFormation would, back to the builder's document", () => {
        const document = { Resource: [`arn:aws:s3:::b-${ACCOUNT_ID_MARKER}-${REGION_MARKER}/\${aws:SourceAccount}/*`, "arn:aws:s3:::fixed"], Count: 2, Flag: false, Empty: null };
        assert.deepEqual(resolveSub(sub(document), AT), {
            Resource: ["arn:aws:s3:::b-123456789012-eu-west-1/${aws:SourceAccount}/*", "arn:aws:s3:::fixed"],
            Count: 2,
            Flag: false,
            Empty: null,
        });
        // Every occurrence of a marker, not just the first.
        assert.equal(resolveSub({ "Fn::Sub": "${AWS::Region}/${AWS::Region}/${AWS::AccountId}/${AWS::AccountId}" }, AT), "eu-west-1/eu-west-1/123456789012/123456789012");
    });

    it("leaves what is not a lone string Fn::Sub as it is: Refs, GetAtts, Fn::Sub with a variable map, objects with more keys", () => {
        const untouched = [
            ref("Bucket"),
            getAtt("Role", "Arn"),
            { "Fn::Sub": ["${Name}", { Name: "x" }] },
            { "Fn::Sub": "${AWS::Region}", Other: 1 },
        ];
        assert.deepEqual(resolveSub(untouched, AT), untouched);
    });
});

describe("components/organization/cloudFormation: template helpers", () => {
    it("writes Ref and Fn::GetAtt in their documented JSON forms", () => {
        assert.deepEqual(ref("PatchLogBucket"), { Ref: "PatchLogBucket" });
        assert.deepEqual(getAtt("ExecutionRole", "Arn"), { "Fn::GetAtt": ["ExecutionRole", "Arn"] });
    });

    it("builds alphanumeric logical ids, each word capitalised, separators and empty words dropped", () => {
        assert.equal(logicalId("patch-log", "bucket"), "PatchLogBucket");
        assert.equal(logicalId("ssm_role enforcer", "us-east-1"), "SsmRoleEnforcerUsEast1");
        assert.equal(logicalId("--ConfigRule--", "", "aws.patch"), "ConfigRuleAwsPatch");
        for (const id of [logicalId("a:b/c d"), logicalId("AWS-RunPatchBaseline", "Rule")]) {
            assert.match(id, /^[A-Za-z0-9]+$/);
        }
    });

    it("retains audit data on stack deletion and on replacement", () => {
        assert.deepEqual(RETAIN, { DeletionPolicy: "Retain", UpdateReplacePolicy: "Retain" });
    });
});
