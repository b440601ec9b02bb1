"""Moving the whole register in and out as validated JSON."""

from supplier_register.interchange.jsonio import (
    dump_register_json,
    iter_register_json,
    parse_register_json,
    read_register_file,
    register_schema_json,
    sample_register_path,
)

__all__ = [
    "dump_register_json",
    "iter_register_json",
    "parse_register_json",
    "read_register_file",
    "register_schema_json",
    "sample_register_path",
]
