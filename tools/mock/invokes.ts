import { mockAwsId } from "./mockState";

/**
 * Answers for the provider functions (invokes) the program calls, keyed by token. The mock
 * runtime throws on any token not listed here, so a new invoke in the program cannot silently
 * return nothing in tests or in the offline plan.
 */
export type InvokeHandler = (inputs: Record<string, unknown>, provider: { accountId?: string; region?: string }) => Record<string, unknown>;

export const PROGRAM_INVOKES: Record<string, InvokeHandler> = {
    /** Route tables filtered by `association.subnet-id`: one table per subnet, as awsx lays them out. */
    "aws:ec2/getRouteTables:getRouteTables": (inputs, provider) => {
        const filters = (inputs["filters"] ?? []) as { name: string; values: string[] }[];
        const subnets = filters.find((filter) => filter.name === "association.subnet-id")?.values;
        const vpcId = String(inputs["vpcId"] ?? "");
        const ids = subnets === undefined ? [mockAwsId("rtb", `main/${vpcId}`)] : subnets.map((subnet) => mockAwsId("rtb", `table/${subnet}`));
        const region = (inputs["region"] as string | undefined) ?? provider.region ?? "us-east-1";
        return { id: region, ids, filters, region, vpcId };
    },
};
