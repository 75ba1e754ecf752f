// Temporary (helper mutation2): the project config with only this session's new modules' specs.
import base from "./stryker.config.mjs";
export default {
    ...base,
    mochaOptions: {
        ...base.mochaOptions,
        spec: [
            "test/stacks/config/*.test.ts",
            "test/components/rollout/changeCalendar.test.ts",
            "test/components/rollout/rolloutPolicies.test.ts",
            "test/components/rollout/*Mutation.test.ts",
            "test/components/organization/organizationCentral.test.ts",
            "test/components/organization/*Mutation.test.ts",
        ],
    },
    reporters: ["clear-text", "progress", "json"],
    jsonReporter: { fileName: "reports/mutation-m2/mutation.json" },
    tempDirName: ".stryker-tmp-m2",
};
