import { parseDocument } from "yaml";

/**
 * Renders one stack's ESC environment from the repository's template
 * (deployment/esc/aws-azure-oidc.yaml): the template's structure, comments and interpolations stay
 * as written; only the identities change — the stack's OIDC role, session and Azure app. A stack
 * without Azure subscriptions gets no azure-login block and no ARM_* variables.
 */

export const AWS_LOGIN_PATH = ["values", "aws", "login", "fn::open::aws-login", "oidc"] as const;
export const AZURE_LOGIN_PATH = ["values", "azure", "login", "fn::open::azure-login"] as const;
export const ENVIRONMENT_VARIABLES_PATH = ["values", "environmentVariables"] as const;

/** The variables the AWS SDKs (and so the AWS provider) read for the base credentials. */
export const AWS_VARIABLES = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"] as const;
/** The variables azure-native reads for OIDC sign-in (ARM_USE_OIDC + token + app + tenant). */
export const AZURE_VARIABLES = ["ARM_USE_OIDC", "ARM_CLIENT_ID", "ARM_TENANT_ID", "ARM_OIDC_TOKEN", "ARM_SUBSCRIPTION_ID"] as const;

export interface EscIdentity {
    readonly roleArn: string;
    readonly sessionName: string;
    readonly duration: string;
    readonly azure?: { readonly clientId: string; readonly tenantId: string; readonly subscriptionId: string };
}

export function renderEscEnvironment(template: string, identity: EscIdentity): string {
    const document = parseDocument(template);
    if (document.errors.length > 0) {
        throw new Error(`ESC template does not parse: ${document.errors[0].message}`);
    }
    for (const path of [AWS_LOGIN_PATH, ENVIRONMENT_VARIABLES_PATH]) {
        if (!document.hasIn([...path])) {
            throw new Error(`ESC template has no ${path.join(".")}`);
        }
    }
    document.setIn([...AWS_LOGIN_PATH, "roleArn"], identity.roleArn);
    document.setIn([...AWS_LOGIN_PATH, "sessionName"], identity.sessionName);
    document.setIn([...AWS_LOGIN_PATH, "duration"], identity.duration);
    if (identity.azure === undefined) {
        document.deleteIn(["values", "azure"]);
        for (const name of AZURE_VARIABLES) {
            document.deleteIn([...ENVIRONMENT_VARIABLES_PATH, name]);
        }
    } else {
        if (!document.hasIn([...AZURE_LOGIN_PATH])) {
            throw new Error(`ESC template has no ${AZURE_LOGIN_PATH.join(".")}`);
        }
        document.setIn([...AZURE_LOGIN_PATH, "clientId"], identity.azure.clientId);
        document.setIn([...AZURE_LOGIN_PATH, "tenantId"], identity.azure.tenantId);
        document.setIn([...AZURE_LOGIN_PATH, "subscriptionId"], identity.azure.subscriptionId);
    }
    return document.toString();
}
