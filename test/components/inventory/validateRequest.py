"""Validates an AWS API request against botocore's service model (the API's own shapes).

Usage: validateRequest.py <service> <Operation> < request.json

botocore's ParamValidator checks structure, types, required members and minimums; the model also
states maximum lengths/counts and patterns, which this walks the shapes to check too (patterns with
the `regex` module: the models use \p{L}-style classes). Prints {"botocore", "problems"}.
"""
import json
import sys

try:
    import regex
except ImportError:  # without it, \p{..} patterns are skipped (re has no Unicode property classes)
    import re as regex

import botocore.session
from botocore.validate import ParamValidator


def python_pattern(pattern):
    """The model's pattern for Python (search semantics, as Smithy patterns are unanchored).

    Glue's patterns spell the astral planes as Java's UTF-16 surrogate range; Python's regexes work
    on code points. Without the `regex` module, \\p{..} classes cannot be checked: None.
    """
    if pattern is None or (regex.__name__ == "re" and "\\p{" in pattern):
        return None
    return regex.compile(pattern.replace("\\uD800\\uDC00-\\uDBFF\\uDFFF", "\\U00010000-\\U0010FFFF"))


def limits(shape, value, path, problems):
    meta = shape.metadata
    if not isinstance(value, {"string": str, "list": list, "map": dict, "structure": dict}.get(shape.type_name, object)):
        return  # a type error: ParamValidator reports it
    if shape.type_name == "string":
        if "max" in meta and len(value) > meta["max"]:
            problems.append(f"{path}: length {len(value)} > max {meta['max']}")
        pattern = python_pattern(meta.get("pattern"))
        if pattern is not None and pattern.search(value) is None:
            problems.append(f"{path}: {value!r} does not match {meta['pattern']}")
    elif shape.type_name == "list":
        if "max" in meta and len(value) > meta["max"]:
            problems.append(f"{path}: {len(value)} items > max {meta['max']}")
        for index, item in enumerate(value):
            limits(shape.member, item, f"{path}[{index}]", problems)
    elif shape.type_name == "map":
        if "max" in meta and len(value) > meta["max"]:
            problems.append(f"{path}: {len(value)} entries > max {meta['max']}")
        for key, item in value.items():
            limits(shape.key, key, f"{path} key {key!r}", problems)
            limits(shape.value, item, f"{path}.{key}", problems)
    elif shape.type_name == "structure":
        for name, member in shape.members.items():
            if name in value:
                limits(member, value[name], f"{path}.{name}", problems)


def main():
    service, operation = sys.argv[1], sys.argv[2]
    request = json.load(sys.stdin)
    model = botocore.session.get_session().get_service_model(service)
    shape = model.operation_model(operation).input_shape
    report = ParamValidator().validate(request, shape)
    problems = [report.generate_report()] if report.has_errors() else []
    limits(shape, request, operation, problems)
    json.dump({"botocore": botocore.__version__, "problems": problems}, sys.stdout)


main()
