import type * as pulumi from "@pulumi/pulumi";

/** The value of an Output, for tests: `expect(await promiseOf(role.arn))…`. */
export function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply(resolve));
}
