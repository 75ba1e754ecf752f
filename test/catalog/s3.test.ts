import { strict as assert } from "node:assert";
import { retentionProblems, type RetentionSpec } from "../../catalog/s3";

const RETENTION: RetentionSpec = { transitionAfterDays: 30, transitionStorageClass: "STANDARD_IA", expireAfterDays: 365, noncurrentVersionExpireAfterDays: 90 };

describe("catalog/s3: lifecycle rules S3 accepts", () => {
    it("reports S3 lifecycle rules the API would reject", () => {
        assert.deepEqual(retentionProblems(RETENTION), []);
        assert.deepEqual(retentionProblems({ ...RETENTION, transitionAfterDays: 10 }), [{ field: "transitionAfterDays", message: "is below 30, the minimum S3 allows before STANDARD_IA" }]);
        assert.deepEqual(retentionProblems({ ...RETENTION, transitionAfterDays: 10, transitionStorageClass: "GLACIER_IR" }), []);
        assert.deepEqual(retentionProblems({ ...RETENTION, expireAfterDays: 30 }), [{ field: "expireAfterDays", message: "must be greater than transitionAfterDays (30)" }]);
    });
});
