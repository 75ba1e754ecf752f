import { permissionsBoundaryArn } from "../../catalog/naming";
import { CONFIG_ROLE_POLICY_ARN } from "../compliance/complianceDocuments";
import { aggregatorPassRoleDeny } from "./boundaryAggregator";
import { PROGRAM_PREFIX, programRoleArns, type ProgramBoundaryScope } from "./boundaryScope";
import { MANAGED_POLICIES, type PolicyStatement } from "./iamDocuments";

/**
 * IAM as the deployer's identity policy grants it: roles, instance profiles and policies under the
 * program's names; roles created, given policies or a boundary only with iam:PermissionsBoundary =
 * the program boundary (SAR IAM: the key of CreateRole, Put/DeleteRolePolicy,
 * Attach/DetachRolePolicy, PutRolePermissionsBoundary); its roles passed to the services that run
 * them. No DeleteRolePermissionsBoundary.
 */
export function programIamStatements(scope: Pick<ProgramBoundaryScope, "accountId" | "automationRoleNames">, passRoleServices: readonly string[]): PolicyStatement[] {
    const iam = `arn:aws:iam::${scope.accountId}`;
    const roles = programRoleArns(scope);
    const withThisBoundary = { "iam:PermissionsBoundary": permissionsBoundaryArn(scope.accountId) };
    return [
        {
            Sid: "ProgramRolesWithTheBoundary",
            Effect: "Allow",
            Action: ["iam:CreateRole", "iam:DeleteRolePolicy", "iam:DetachRolePolicy", "iam:PutRolePermissionsBoundary", "iam:PutRolePolicy"],
            Resource: roles,
            Condition: { StringEquals: withThisBoundary },
        },
        {
            // Only the managed policies the components attach (and the program's own).
            Sid: "AttachOnlyTheProgramsManagedPolicies",
            Effect: "Allow",
            Action: "iam:AttachRolePolicy",
            Resource: roles,
            Condition: {
                StringEquals: withThisBoundary,
                ArnLike: { "iam:PolicyARN": [MANAGED_POLICIES.ssmManagedInstanceCore, MANAGED_POLICIES.ssmManagedEc2InstanceDefault, CONFIG_ROLE_POLICY_ARN, `${iam}:policy/${PROGRAM_PREFIX}*`] },
            },
        },
        {
            Sid: "ProgramRoles",
            Effect: "Allow",
            Action: ["iam:TagRole", "iam:UntagRole", "iam:UpdateRole", "iam:UpdateRoleDescription"],
            Resource: roles,
        },
        {
            // Not the Automation roles: their trust is fixed (the boundary's AutomationRolesTrust).
            Sid: "PatchingRolesTrustAndDeletion",
            Effect: "Allow",
            Action: ["iam:DeleteRole", "iam:UpdateAssumeRolePolicy"],
            Resource: roles[0],
        },
        {
            Sid: "PassProgramRolesToTheirServices",
            Effect: "Allow",
            Action: "iam:PassRole",
            Resource: roles,
            Condition: { StringEquals: { "iam:PassedToService": [...passRoleServices] } },
        },
        aggregatorPassRoleDeny(scope.accountId),
        {
            Sid: "ProgramInstanceProfilesAndPolicies",
            Effect: "Allow",
            Action: [
                "iam:AddRoleToInstanceProfile",
                "iam:CreateInstanceProfile",
                "iam:CreatePolicy",
                "iam:CreatePolicyVersion",
                "iam:DeleteInstanceProfile",
                "iam:DeletePolicy",
                "iam:DeletePolicyVersion",
                "iam:RemoveRoleFromInstanceProfile",
                "iam:SetDefaultPolicyVersion",
                "iam:TagInstanceProfile",
                "iam:TagPolicy",
                "iam:UntagInstanceProfile",
                "iam:UntagPolicy",
            ],
            Resource: [`${iam}:instance-profile/${PROGRAM_PREFIX}*`, `${iam}:policy/${PROGRAM_PREFIX}*`],
        },
    ];
}
