"""Deploys rendered organization-mode templates into moto_server with CloudFormation CreateStack
and prints, as JSON, what the emulated services then hold (read back through their own APIs).

Usage: deployTemplates.py <endpoint> <region> [s3://<bucket>/<key>...] <stack name>=<template file>...
Each s3:// argument is uploaded first (bucket created, a small zip with index.js at the key): the
artifacts a template's Lambda function takes its code from, as the central stack publishes them.
Called by templateValidation.test.ts (the Node.js side has no CloudFormation client installed).
"""

import ast
import io
import json
import sys
import zipfile

import boto3

endpoint, region = sys.argv[1:3]
artifacts = [argument[len("s3://"):].split("/", 1) for argument in sys.argv[3:] if argument.startswith("s3://")]
stacks = [argument.split("=", 1) for argument in sys.argv[3:] if not argument.startswith("s3://")]
session = boto3.session.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name=region)


def client(service):
    return session.client(service, endpoint_url=endpoint)


def attempt(call):
    try:
        return call()
    except Exception as error:  # noqa: BLE001 - reported to the test, which decides
        return {"error": f"{type(error).__name__}: {error}"}


def document(value):
    """A policy document as a dict. moto's CloudFormation stores a role's inline policies as the
    Python repr of the dict (not JSON), so GetRolePolicy returns that text: read it back as a literal."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return ast.literal_eval(value)
    return value


def bundle():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.js", "exports.handler = async () => ({});\n")
    return buffer.getvalue()


for bucket, key in artifacts:
    s3 = client("s3")
    s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": region})
    s3.put_object(Bucket=bucket, Key=key, Body=bundle())

cfn = client("cloudformation")
out = {"stacks": {}}
for name, path in stacks:
    with open(path, encoding="utf-8") as handle:
        body = handle.read()
    created = attempt(lambda: cfn.create_stack(StackName=name, TemplateBody=body, Capabilities=["CAPABILITY_NAMED_IAM"]))
    stack = attempt(lambda: cfn.describe_stacks(StackName=name)["Stacks"][0])
    resources = attempt(lambda: cfn.list_stack_resources(StackName=name)["StackResourceSummaries"])
    out["stacks"][name] = {
        "create": created if "error" in created else "ok",
        "status": stack.get("StackStatus") if isinstance(stack, dict) else None,
        "reason": stack.get("StackStatusReason") if isinstance(stack, dict) else None,
        "resources": [
            {"id": r["LogicalResourceId"], "type": r["ResourceType"], "physical": r.get("PhysicalResourceId"), "status": r["ResourceStatus"]}
            for r in (resources if isinstance(resources, list) else [])
        ],
    }

iam = client("iam")
roles = {}
for role in iam.list_roles()["Roles"]:
    name = role["RoleName"]
    detail = iam.get_role(RoleName=name)["Role"]
    roles[name] = {
        "trust": detail.get("AssumeRolePolicyDocument"),
        "boundary": detail.get("PermissionsBoundary", {}).get("PermissionsBoundaryArn"),
        "inline": {p: document(iam.get_role_policy(RoleName=name, PolicyName=p)["PolicyDocument"]) for p in iam.list_role_policies(RoleName=name)["PolicyNames"]},
        "attached": [p["PolicyArn"] for p in iam.list_attached_role_policies(RoleName=name)["AttachedPolicies"]],
    }
out["roles"] = roles
policies = {}
for policy in iam.list_policies(Scope="Local")["Policies"]:
    version = iam.get_policy_version(PolicyArn=policy["Arn"], VersionId=policy["DefaultVersionId"])["PolicyVersion"]
    policies[policy["PolicyName"]] = {"arn": policy["Arn"], "document": version["Document"]}
out["policies"] = policies
out["instanceProfiles"] = {p["InstanceProfileName"]: [r["RoleName"] for r in p["Roles"]] for p in iam.list_instance_profiles()["InstanceProfiles"]}

s3 = client("s3")
buckets = {}
for bucket in s3.list_buckets().get("Buckets", []):
    name = bucket["Name"]
    buckets[name] = {
        "policy": attempt(lambda: json.loads(s3.get_bucket_policy(Bucket=name)["Policy"])),
        "encryption": attempt(lambda: s3.get_bucket_encryption(Bucket=name)["ServerSideEncryptionConfiguration"]["Rules"]),
        "versioning": attempt(lambda: s3.get_bucket_versioning(Bucket=name).get("Status")),
        "lifecycle": attempt(lambda: s3.get_bucket_lifecycle_configuration(Bucket=name)["Rules"]),
        "publicAccess": attempt(lambda: s3.get_public_access_block(Bucket=name)["PublicAccessBlockConfiguration"]),
        "ownership": attempt(lambda: s3.get_bucket_ownership_controls(Bucket=name)["OwnershipControls"]["Rules"]),
    }
out["buckets"] = buckets

ssm = client("ssm")
documents = {}
for identifier in ssm.list_documents(Filters=[{"Key": "Owner", "Values": ["Self"]}])["DocumentIdentifiers"]:
    name = identifier["Name"]
    document = ssm.get_document(Name=name, DocumentFormat="JSON")
    documents[name] = {"type": document.get("DocumentType"), "format": document.get("DocumentFormat"), "content": json.loads(document["Content"])}
out["documents"] = documents
out["baselines"] = attempt(lambda: [b["BaselineName"] for b in ssm.describe_patch_baselines(Filters=[{"Key": "OWNER", "Values": ["Self"]}])["BaselineIdentities"]])
out["parameters"] = attempt(lambda: {p["Name"]: p["Value"] for p in ssm.get_parameters_by_path(Path="/patching", Recursive=True)["Parameters"]})
out["kmsAliases"] = attempt(lambda: [a["AliasName"] for a in client("kms").list_aliases()["Aliases"] if not a["AliasName"].startswith("alias/aws/")])

events = client("events")
out["eventRules"] = {
    rule["Name"]: {
        "pattern": json.loads(rule["EventPattern"]) if rule.get("EventPattern") else None,
        "schedule": rule.get("ScheduleExpression"),
        "state": rule.get("State"),
        "targets": [{"id": t["Id"], "arn": t["Arn"], "roleArn": t.get("RoleArn")} for t in events.list_targets_by_rule(Rule=rule["Name"])["Targets"]],
    }
    for rule in events.list_rules()["Rules"]
}
awslambda = client("lambda")
functions = {}
for function in awslambda.list_functions()["Functions"]:
    name = function["FunctionName"]
    functions[name] = {
        "role": function["Role"],
        "runtime": function.get("Runtime"),
        "handler": function.get("Handler"),
        "timeout": function.get("Timeout"),
        "memory": function.get("MemorySize"),
        "environment": function.get("Environment", {}).get("Variables", {}),
        "policy": attempt(lambda: json.loads(awslambda.get_policy(FunctionName=name)["Policy"])),
    }
out["functions"] = functions
out["logGroups"] = {g["logGroupName"]: g.get("retentionInDays") for g in client("logs").describe_log_groups()["logGroups"]}
out["configRules"] = attempt(lambda: [r["ConfigRuleName"] for r in client("config").describe_config_rules()["ConfigRules"]])

json.dump(out, sys.stdout, default=str)
