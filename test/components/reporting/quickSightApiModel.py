"""Validate QuickSight request inputs against botocore's service model.

stdin: JSON list of {"label", "operation", "params"}; stdout: JSON {label: [problems]}.
botocore.validate.validate_parameters checks required members, unknown members, types and
minimums; it does not check enums, patterns or maximums, so this walker adds those from the same
shapes (the API reference's "Valid Values", "Pattern", "Length Constraints", "Valid Range").
"""
import json
import re
import sys

import botocore.session
from botocore.exceptions import ParamValidationError
from botocore.validate import validate_parameters


def walk(shape, value, path, problems):
    meta = shape.metadata
    if shape.type_name == "structure" and isinstance(value, dict):
        for key, member in value.items():
            if key in shape.members:
                walk(shape.members[key], member, f"{path}.{key}", problems)
    elif shape.type_name == "list" and isinstance(value, list):
        if "max" in meta and len(value) > meta["max"]:
            problems.append(f"{path}: {len(value)} items, at most {meta['max']}")
        for index, item in enumerate(value):
            walk(shape.member, item, f"{path}[{index}]", problems)
    elif shape.type_name == "string" and isinstance(value, str):
        if shape.enum and value not in shape.enum:
            problems.append(f"{path}: {value!r} is not one of {shape.enum}")
        if "pattern" in meta and re.fullmatch(meta["pattern"], value, re.S) is None:
            problems.append(f"{path}: {value!r} does not match {meta['pattern']}")
        if "max" in meta and len(value) > meta["max"]:
            problems.append(f"{path}: {len(value)} characters, at most {meta['max']}")
    elif shape.type_name in ("integer", "long", "double") and isinstance(value, (int, float)):
        if "max" in meta and value > meta["max"]:
            problems.append(f"{path}: {value} is above {meta['max']}")


def main():
    model = botocore.session.get_session().get_service_model("quicksight")
    results = {}
    for case in json.load(sys.stdin):
        shape = model.operation_model(case["operation"]).input_shape
        problems = []
        try:
            validate_parameters(case["params"], shape)
        except ParamValidationError as error:
            problems.extend(line.strip() for line in str(error).splitlines()[1:] if line.strip())
        walk(shape, case["params"], case["operation"], problems)
        results[case["label"]] = problems
    json.dump(results, sys.stdout)


main()
