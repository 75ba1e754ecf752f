import { strict as assert } from "node:assert";
import { dataSyncBucketPolicy, type DataSyncWriters } from "../../../components/storage/storageDocuments";
import { glueTableInput, INVENTORY_TABLES, PARTITION_KEYS } from "../../../components/reporting/reportingTables";
import { dataSyncAccountPrefix } from "../../../catalog/naming";
import { decide, type Decision } from "../../support/iamSimulation";
import type { PolicyDocument } from "../../../components/identity/iamDocuments";

/**
 * Issue 14 (M4), proven end to end: what Systems Manager may write into the central bucket on
 * behalf of an account (the bucket policy, evaluated by the IAM simulator with the service
 * principal and its aws:Source* context), and which Athena partition reads what it wrote (the
 * tables' partition-projection template). Account A must never get data into account B's partition.
 */

const CENTRAL = "111111111111";
const A = "222222222222";
const B = "333333333333";
const BUCKET = `patching-inventory-sync-${CENTRAL}-us-east-1`;
const ORG = "o-abcdefghij";
const FOLDER = (account: string) => `AWS:Application/accountid=${account}/region=eu-west-2/resourcetype=ManagedInstanceInventory`;

/** A PutObject by Resource Data Sync for `account`'s sync in eu-west-2 (request context as S3 sees it). */
function syncWrite(policy: PolicyDocument, account: string, key: string, acl = "bucket-owner-full-control", sourceArn = `arn:aws:ssm:eu-west-2:${account}:resource-data-sync/patching-inventory-to-central`): Promise<Decision> {
    return decide(
        { resourcePolicy: policy },
        {
            principal: "ssm.amazonaws.com",
            action: "s3:PutObject",
            resource: `arn:aws:s3:::${BUCKET}/${key}`,
            resourceAccount: CENTRAL,
            context: {
                "aws:SourceAccount": account,
                "aws:SourceArn": sourceArn,
                "aws:SourceOrgID": ORG,
                "s3:x-amz-acl": acl,
                "aws:SecureTransport": "true",
            },
        },
    );
}

/** Every projected partition whose resolved template folder holds the key. */
function partitionsReading(key: string): Record<string, string>[] {
    const { parameters } = glueTableInput(INVENTORY_TABLES.application, BUCKET, "inventory", { accountIds: [A, B], regions: ["eu-west-2"] });
    let combos: Record<string, string>[] = [{}];
    for (const column of PARTITION_KEYS) {
        combos = combos.flatMap((combo) => parameters[`projection.${column}.values`].split(",").map((value) => ({ ...combo, [column]: value })));
    }
    return combos.filter((combo) => `s3://${BUCKET}/${key}`.startsWith(parameters["storage.location.template"].replace(/\$\{([a-z]+)\}/g, (_, column: string) => combo[column])));
}

const VARIANTS: [string, DataSyncWriters][] = [
    ["accounts", { kind: "accounts", accountIds: [A, B] }],
    ["organization", { kind: "organization", organizationId: ORG }],
];

for (const [variant, writers] of VARIANTS) {
    describe(`central inventory bucket (${variant} variant): no account writes into another account's partition`, () => {
        const policy = dataSyncBucketPolicy(BUCKET, "inventory", writers);

        it("lets each account's sync write its own keys, which Athena reads as that account's partition only", async () => {
            for (const account of [A, B]) {
                const key = `${dataSyncAccountPrefix("inventory", account)}/${FOLDER(account)}/i-0123456789abcdef0.json`;
                assert.equal(await syncWrite(policy, account, key), "Allowed", key);
                assert.deepEqual(partitionsReading(key), [{ accountid: account, region: "eu-west-2", resourcetype: "ManagedInstanceInventory" }]);
            }
        });

        it("denies account A every key in account B's folder", async () => {
            const keys = [`inventory/${B}/${FOLDER(B)}/i-0forged.json`, `inventory/${B}/${FOLDER(A)}/i-0forged.json`, `inventory/${B}/x/accountid=${A}/y.json`];
            for (const key of keys) {
                assert.equal(await syncWrite(policy, A, key), "ImplicitlyDenied", key);
            }
        });

        it("denies the key shape the old policy allowed: A's accountid= behind B's partition folder", async () => {
            // `inventory/*/accountid=A/*` matched this, the leading * spanning "/"; Athena read it as B's.
            const forged = `inventory/${FOLDER(B)}/accountid=${A}/i-0forged.json`;
            assert.equal(await syncWrite(policy, A, forged), "ImplicitlyDenied");
            assert.equal(await syncWrite(policy, A, `inventory/x/accountid=${B}/accountid=${A}/i-0forged.json`), "ImplicitlyDenied");
        });

        it("reads nothing A may write in its own folder into B's partition, whatever accountid= it claims", async () => {
            const claim = `inventory/${A}/${FOLDER(B)}/accountid=${A}/i-0claims-b.json`;
            assert.equal(await syncWrite(policy, A, claim), "Allowed", "inside A's own folder");
            assert.deepEqual(partitionsReading(claim), [], "no partition at all reads it");
        });

        it("admits Systems Manager only for Resource Data Sync, not another SSM feature of the same account (issue 21 mutant)", async () => {
            const key = `inventory/${A}/${FOLDER(A)}/i-1.json`;
            assert.equal(await syncWrite(policy, A, key, "bucket-owner-full-control", `arn:aws:ssm:eu-west-2:${A}:association/0123`), "ImplicitlyDenied");
        });

        it("still needs the bucket-owner-full-control ACL", async () => {
            assert.equal(await syncWrite(policy, A, `inventory/${A}/${FOLDER(A)}/i-1.json`, "private"), "ImplicitlyDenied");
        });
    });
}

describe("the policy this replaces, kept as the regression witness", () => {
    it("let account A write into B's partition folder", async () => {
        const old: PolicyDocument = {
            Version: "2012-10-17",
            Statement: [A, B].map((account) => ({
                Sid: `Old${account}`,
                Effect: "Allow" as const,
                Principal: { Service: "ssm.amazonaws.com" },
                Action: "s3:PutObject",
                Resource: `arn:aws:s3:::${BUCKET}/inventory/*/accountid=${account}/*`,
                Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceAccount": account } },
            })),
        };
        assert.equal(await syncWrite(old, A, `inventory/${FOLDER(B)}/accountid=${A}/i-0forged.json`), "Allowed");
    });
});
