import type { CfnResource } from "../../../components/organization/cloudFormation";
import type { CfnTemplate } from "../../../components/organization/cloudFormation";

/**
 * What CloudFormation makes of a template's Conditions in one Region (the only pseudo parameter
 * they use is AWS::Region): resources whose Condition is false are left out, `Fn::If` picks its
 * branch, and `Ref: AWS::NoValue` removes the list item or property it stands for (Condition
 * functions and pseudo-parameter references). Refuses what it does not know, so a new construct
 * in a template fails the tests instead of being silently misread.
 */
export function resolveConditions(template: CfnTemplate, region: string): Record<string, CfnResource> {
    const definitions = (template.Conditions ?? {}) as Record<string, unknown>;
    const conditions = new Map<string, boolean>();
    const truth = (name: string): boolean => {
        if (!conditions.has(name)) {
            if (!(name in definitions)) {
                throw new Error(`unknown condition ${name}`);
            }
            conditions.set(name, evaluate(definitions[name]));
        }
        return conditions.get(name) as boolean;
    };
    const scalar = (value: unknown): unknown => (isRef(value, "AWS::Region") ? region : value);
    const evaluate = (expression: unknown): boolean => {
        const [[fn, args]] = Object.entries(expression as Record<string, unknown>);
        const list = args as unknown[];
        switch (fn) {
            case "Fn::Equals":
                return scalar(list[0]) === scalar(list[1]);
            case "Fn::Not":
                return !evaluate(list[0]);
            case "Fn::Or":
                return list.some(evaluate);
            case "Fn::And":
                return list.every(evaluate);
            case "Condition":
                return truth(args as string);
            default:
                throw new Error(`condition function ${fn} is not supported here`);
        }
    };
    const NO_VALUE = Symbol("NoValue");
    const resolve = (value: unknown): unknown => {
        if (Array.isArray(value)) {
            return value.map(resolve).filter((item) => item !== NO_VALUE);
        }
        if (value !== null && typeof value === "object") {
            if (isRef(value, "AWS::NoValue")) {
                return NO_VALUE;
            }
            const entries = Object.entries(value);
            if (entries.length === 1 && entries[0][0] === "Fn::If") {
                const [name, whenTrue, whenFalse] = entries[0][1] as [string, unknown, unknown];
                return resolve(truth(name) ? whenTrue : whenFalse);
            }
            return Object.fromEntries(entries.map(([key, item]) => [key, resolve(item)]).filter(([, item]) => item !== NO_VALUE));
        }
        return value;
    };
    return Object.fromEntries(
        Object.entries(template.Resources)
            .filter(([, resource]) => {
                const condition = (resource as { Condition?: string }).Condition;
                return condition === undefined || truth(condition);
            })
            .map(([id, resource]) => {
                const rest = Object.fromEntries(Object.entries(resource).filter(([key]) => key !== "Condition"));
                return [id, resolve(rest) as CfnResource];
            }),
    );
}

function isRef(value: unknown, name: string): boolean {
    return value !== null && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 1 && (value as { Ref?: unknown }).Ref === name;
}
