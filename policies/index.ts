/**
 * The CrossGuard pack's entry file — the only place that constructs the PolicyPack, which starts
 * the analyzer's gRPC server at once (so nothing else may import this file). Run it with
 * `pulumi preview --policy-pack policies --policy-pack-config policies/config.<env>.json`.
 */
import { PolicyPack } from "@pulumi/policy";
import {
    azureKeyVaultNetworkDenied,
    azureKeyVaultPurgeProtection,
    azureKeyVaultRbacAuthorization,
    azureKeyVaultRoleAssignmentScoped,
    azurePolicyAssignmentIdentity,
    azureTagTargetPatchGroup,
    azureVmExtensionTargetTagged,
    azureVmPatchGroupTag,
} from "./azure";
import { iamAwsManagedPolicyAllowed, iamNoDeprecatedSsmPolicy, iamNoWildcardActionOnAllResources, iamRolePermissionsBoundary } from "./iam";
import { ssmInterfaceEndpointHttpsOnly, ssmInterfaceEndpointPrivateDns } from "./network";
import {
    automationRateControl,
    patchBaselineApprovalRules,
    patchBaselineApproveAfterDays,
    patchBaselineProdNotBeforeDev,
    ssmActivationLimited,
    ssmActivationPatchGroupTag,
} from "./patching";
import { eventBusPolicyPrincipalCondition, iamAccountPrincipalConditioned, iamExecutionRoleTrust, iamNoPublicPrincipal, iamServiceTrustConfusedDeputy } from "./principals";
import { awsProviderAssumeRole, estateCoverage } from "./stack";
import { rolloutProdInstallsGated } from "./rollout";
import { patchExceptionExpired, patchExceptionExpiring } from "./exceptions";
import {
    s3BucketEncrypted,
    s3BucketNoForceDestroy,
    s3BucketNoPublicAcl,
    s3BucketPublicAccessBlocked,
    s3BucketRetainedOnDelete,
    s3BucketTlsOnly,
    s3BucketVersioned,
} from "./storage";

new PolicyPack("multicloud-patching", {
    description: "Guards the multicloud-patching estate: audit buckets, IAM trust, boundaries and managed policies, patch approval, exceptions that expire, rate control, hybrid activations, private connectivity, Azure tags, coverage.",
    policies: [
        s3BucketEncrypted,
        s3BucketPublicAccessBlocked,
        s3BucketTlsOnly,
        s3BucketVersioned,
        s3BucketRetainedOnDelete,
        s3BucketNoForceDestroy,
        s3BucketNoPublicAcl,
        iamNoDeprecatedSsmPolicy,
        iamNoPublicPrincipal,
        iamNoWildcardActionOnAllResources,
        iamExecutionRoleTrust,
        iamServiceTrustConfusedDeputy,
        iamRolePermissionsBoundary,
        iamAwsManagedPolicyAllowed,
        iamAccountPrincipalConditioned,
        eventBusPolicyPrincipalCondition,
        patchBaselineApprovalRules,
        patchBaselineApproveAfterDays,
        patchBaselineProdNotBeforeDev,
        automationRateControl,
        ssmActivationLimited,
        ssmActivationPatchGroupTag,
        ssmInterfaceEndpointPrivateDns,
        ssmInterfaceEndpointHttpsOnly,
        azureTagTargetPatchGroup,
        azureVmExtensionTargetTagged,
        azureVmPatchGroupTag,
        azureKeyVaultRbacAuthorization,
        azureKeyVaultPurgeProtection,
        azureKeyVaultNetworkDenied,
        azurePolicyAssignmentIdentity,
        azureKeyVaultRoleAssignmentScoped,
        awsProviderAssumeRole,
        rolloutProdInstallsGated,
        patchExceptionExpired,
        patchExceptionExpiring,
        estateCoverage,
    ],
});
