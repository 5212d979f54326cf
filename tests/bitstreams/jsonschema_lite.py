"""A small JSON Schema validator (the subset bitstreams/manifest.schema.json
uses): type, enum, const, required, properties, additionalProperties,
items, minItems, maxItems, pattern, minLength, maxLength, minimum, maximum.
Python 3 standard library only.

validate(instance, schema) returns a list of error strings (empty = valid);
check_schema(schema) lists keywords this validator would silently ignore.
"""
import re

ANNOTATIONS = {"$schema", "$id", "title", "description", "$comment", "examples", "default"}
KEYWORDS = {"type", "enum", "const", "required", "properties", "additionalProperties", "items",
            "minItems", "maxItems", "pattern", "minLength", "maxLength", "minimum", "maximum"}
TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def _same(a, b):
    # JSON equality: 1 == 1.0 but True != 1.
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    return a == b


def check_schema(schema, where="#"):
    errors = []
    if not isinstance(schema, dict):
        return [f"{where}: a schema must be an object"]
    for key, sub in schema.items():
        if key not in KEYWORDS and key not in ANNOTATIONS:
            errors.append(f"{where}: unsupported keyword {key!r}")
        elif key == "type":
            for t in sub if isinstance(sub, list) else [sub]:
                if t not in TYPES:
                    errors.append(f"{where}: unknown type {t!r}")
        elif key == "properties":
            for name, s in sub.items():
                errors += check_schema(s, f"{where}/properties/{name}")
        elif key in ("items", "additionalProperties") and isinstance(sub, dict):
            errors += check_schema(sub, f"{where}/{key}")
        elif key == "pattern":
            try:
                re.compile(sub)
            except re.error as e:
                errors.append(f"{where}: bad pattern {sub!r}: {e}")
    return errors


def validate(value, schema, where="$"):
    errors = []
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(TYPES[t](value) for t in types):
            return [f"{where}: expected {' or '.join(types)}, got {type(value).__name__}"]
    if "const" in schema and not _same(value, schema["const"]):
        errors.append(f"{where}: must be {schema['const']!r}")
    if "enum" in schema and not any(_same(value, e) for e in schema["enum"]):
        errors.append(f"{where}: {value!r} not one of {schema['enum']}")
    if isinstance(value, str):
        if "pattern" in schema and not re.search(schema["pattern"], value):
            errors.append(f"{where}: {value!r} does not match {schema['pattern']}")
        if len(value) < schema.get("minLength", 0):
            errors.append(f"{where}: shorter than {schema['minLength']}")
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            errors.append(f"{where}: longer than {schema['maxLength']}")
    if TYPES["number"](value):
        if "minimum" in schema and value < schema["minimum"]:
            errors.append(f"{where}: {value} < minimum {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            errors.append(f"{where}: {value} > maximum {schema['maximum']}")
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            errors.append(f"{where}: fewer than {schema['minItems']} items")
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            errors.append(f"{where}: more than {schema['maxItems']} items")
        if isinstance(schema.get("items"), dict):
            for i, item in enumerate(value):
                errors += validate(item, schema["items"], f"{where}[{i}]")
    if isinstance(value, dict):
        for key in schema.get("required", []):
            if key not in value:
                errors.append(f"{where}: missing required key {key!r}")
        props = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        for key, item in value.items():
            if key in props:
                errors += validate(item, props[key], f"{where}.{key}")
            elif extra is False:
                errors.append(f"{where}: unexpected key {key!r}")
            elif isinstance(extra, dict):
                errors += validate(item, extra, f"{where}.{key}")
    return errors
