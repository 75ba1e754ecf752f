import { AUTOMATION_DOCUMENT_NAMES, automationDocuments, type AutomationDocumentKey } from "./patchAutomationDocuments";
import { logicalId, type CfnResources } from "../organization/cloudFormation";

/**
 * Organization mode (issue 16): the two patch runbooks of one (account, Region), with the very
 * document model PatchAutomationDocuments renders (the runbooks address their log bucket through
 * `{{global:ACCOUNT_ID}}`/`{{global:REGION}}`, so the content is the same in every location).
 *
 * `Content` is the model as a JSON object (AWS::SSM::Document `Content` is typed Json), which
 * CloudFormation serialises in `DocumentFormat`; `renderDocument(Content)` is byte for byte the
 * YAML the Pulumi component sends. Not the YAML string, though the property "also supports
 * String": cfn-lint 1.x (with libyaml) cannot parse a string Content from a template (E3051 "a
 * string or stream input is required": its C YAML parser refuses the str subclass its decoder
 * produces), and as an object cfn-lint validates the document against its SSM schema.
 */
export function runbookResources(patchGroupTagKey: string): CfnResources {
    const documents = automationDocuments(patchGroupTagKey);
    return Object.fromEntries(
        (Object.keys(AUTOMATION_DOCUMENT_NAMES) as AutomationDocumentKey[]).map((key) => [
            logicalId("Runbook", key),
            {
                Type: "AWS::SSM::Document",
                Properties: {
                    Name: AUTOMATION_DOCUMENT_NAMES[key],
                    DocumentType: "Automation",
                    DocumentFormat: "YAML",
                    // Replacing a named document would fail on the name; updates make a new version.
                    UpdateMethod: "NewVersion",
                    Content: documents[key],
                },
            },
        ]),
    );
}
