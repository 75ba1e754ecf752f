import { strict as assert } from "node:assert";
import { UNKNOWN_MARK } from "../../tools/mock/plainValues";
import { ResourceRecorder, type RecordedResource } from "../../tools/mock/recorder";
import { interfaceEndpointAzHours, renderEndpointAzHours, VPC_ENDPOINT_TYPE } from "../../tools/plan/report";
import { resolveScopes } from "../../tools/plan/scopes";

const urn = (type: string, name: string) => `urn:pulumi:s::p::${type}::${name}`;

/** A registration as the recorder holds it (options as the engine would see them by default). */
function record(type: string, name: string, inputs: Record<string, unknown>, extra: Partial<RecordedResource> = {}): RecordedResource {
    return { urn: urn(type, name), type, name, custom: true, inputs, options: { protect: false, retainOnDelete: false, dependsOn: [] }, ...extra } as RecordedResource;
}

function awsProvider(alias: string, account: string): RecordedResource {
    // Provider inputs reach the engine JSON-encoded, as in the real recorder.
    return record("pulumi:providers:aws", `aws-${alias}`, { region: "us-west-2", allowedAccountIds: JSON.stringify([account]) });
}

function endpoint(name: string, provider: RecordedResource, inputs: Record<string, unknown>): RecordedResource {
    return record(VPC_ENDPOINT_TYPE, name, inputs, { provider: provider.urn });
}

describe("tools/plan/report: interface endpoint AZ-hours per Region", () => {
    const shared = awsProvider("shared-services", "222222222222");
    const app = awsProvider("application", "333333333333");
    const two = ["subnet-a", "subnet-b"];
    const fixtures = [
        shared,
        app,
        endpoint("shared-ssm", shared, { vpcEndpointType: "Interface", region: "eu-west-2", subnetIds: two }),
        endpoint("shared-ssmmessages", shared, { vpcEndpointType: "Interface", region: "eu-west-2", subnetIds: two }),
        endpoint("shared-ec2messages", shared, { vpcEndpointType: "Interface", region: "eu-west-2", subnetIds: ["subnet-a", "subnet-b", "subnet-c"] }),
        endpoint("shared-s3", shared, { vpcEndpointType: "Gateway", region: "eu-west-2", routeTableIds: ["rtb-a"] }),
        endpoint("shared-us-ssm", shared, { vpcEndpointType: "Interface", region: "us-west-2", subnetIds: two }),
        endpoint("app-ssm", app, { vpcEndpointType: "Interface", region: "eu-west-2", subnetIds: UNKNOWN_MARK }),
        record("aws:ec2/securityGroup:SecurityGroup", "shared-endpoints", { region: "eu-west-2", subnetIds: two }, { provider: shared.urn }),
    ];
    const recorder = new ResourceRecorder();
    fixtures.forEach((fixture) => recorder.add(fixture));
    const rows = interfaceEndpointAzHours(recorder.resources, resolveScopes(recorder));

    it("sums interface endpoints × their subnets per (account, Region), ignoring gateway endpoints and other types", () => {
        assert.deepEqual(
            rows.map((row) => [row.scope.accountName, row.scope.region, row.interfaceEndpoints, row.endpointAzs, row.unknownAzs, row.azHoursPerMonth]),
            [
                ["application", "eu-west-2", 1, 0, 1, 0],
                ["shared-services", "eu-west-2", 3, 7, 0, 7 * 730],
                ["shared-services", "us-west-2", 1, 2, 0, 2 * 730],
            ],
        );
    });

    it("renders a table with a total and marks endpoints whose subnets are unknown", () => {
        const text = renderEndpointAzHours(rows, false);
        assert.match(text, /shared-services 222222222222 .* eu-west-2 .* 3 .* 7 .* 5110/);
        assert.match(text, /0 \+ 1 unknown/);
        assert.match(text, /total .* 5 .* 9 .* 6570/);
    });

    it("leaves out scopes without interface endpoints and resources without a scope", () => {
        const onlyGateway = new ResourceRecorder();
        [shared, fixtures[5]].forEach((fixture) => onlyGateway.add(fixture));
        assert.deepEqual(interfaceEndpointAzHours(onlyGateway.resources, resolveScopes(onlyGateway)), []);
        assert.deepEqual(interfaceEndpointAzHours([fixtures[2]], new Map()), []);
    });
});
