"""The JSON interchange format: read with every problem named, write in a stable order."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from functools import cache
from importlib import resources
from itertools import islice
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from supplier_register.domain.errors import BadFile, InvalidInput, describe_validation_error
from supplier_register.domain.models import (
    V2_ONLY_FIELDS,
    V3_ONLY_FIELDS,
    V4_ONLY_LISTS,
    Answer,
    Contract,
    Dependency,
    ImportSource,
    Person,
    Register,
    Service,
    Supplier,
    SupplierIdentifier,
    TrustProfile,
)
from supplier_register.domain.trusted import share_fields_set
from supplier_register.importers import limits
from supplier_register.scoring.questions import question_ids


def sample_register_path() -> Path:
    """The bundled sample register: inside the installed package, or in the source tree."""
    packaged = Path(str(resources.files("supplier_register"))) / "sample_data" / "register.json"
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parents[3] / "sample_data" / "register.json"


def _label(data: dict[str, Any], kind: object, index: object) -> str:
    """'suppliers[3] (Acme Ltd)': where a problem is, with the record's own name."""
    record = f"{kind}[{index}]"
    items = data.get(str(kind))
    if isinstance(items, list) and isinstance(index, int) and 0 <= index < len(items):
        item = items[index]
        if isinstance(item, dict):
            label = item.get("name") or item.get("title")
            if item.get("question_id") and item.get("supplier"):
                label = f"{item['supplier']} / {item['question_id']}"
            elif kind in ("provenance", "identifiers") and isinstance(item.get("supplier"), str):
                what = item.get("contract") or item.get("identifier")
                label = item["supplier"] + (f" / {what}" if isinstance(what, str) else "")
            elif kind == "dependencies":
                a, b = item.get("supplier"), item.get("depends_on")
                label = f"{a} → {b}" if isinstance(a, str) and isinstance(b, str) else None
            if isinstance(label, str) and label.strip():
                record += f" ({label.strip()[:60]})"
    return record


def parse_register_json(text: str, source: str = "input") -> Register:
    """Parse and validate interchange JSON; raise a user error naming record and field."""
    return validate_register_data(load_register_json(text, source), source)


def load_register_json(text: str, source: str = "input") -> dict[str, Any]:
    """Parse interchange JSON into plain data (a JSON object), or raise a one-line user error."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadFile(
            f"{source}: not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})"
        ) from None
    except RecursionError:  # e.g. [[[[...]]]] thousands deep
        raise BadFile(f"{source}: not a register: JSON nested too deeply") from None
    except ValueError:  # an integer of more than 4300 digits
        raise BadFile(f"{source}: not valid JSON (a number is thousands of digits long)") from None
    if not isinstance(data, dict):
        raise BadFile(
            f"{source}: expected a JSON object with people, suppliers, contracts and answers"
        )
    return data


def validate_register_data(data: dict[str, Any], source: str = "input") -> Register:
    """Validate parsed interchange data as a :class:`Register`, every problem named.

    Records are validated one at a time and each one's parsed data is dropped
    from ``data`` once it is a model, so a large file never holds both its
    parsed data and its models in full (which took a 10,000-supplier import
    to 395 MB).  The result, and every problem reported, is what validating
    ``data`` as a whole :class:`Register` gives: anything but its lists of
    records is validated that way.  ``data`` is emptied of records either way.
    """
    lists = {key: data[key] for key, _ in _KINDS if key in data}
    if not all(type(items) is list for items in lists.values()):
        return _checked(_validate_whole(data, source), source)
    try:
        top = Register.model_validate({**data, **{key: [] for key in lists}})
    except ValidationError:  # a problem outside the records: reported as before, in order
        return _checked(_validate_whole(data, source), source)
    problems: list[str] = []
    records: dict[str, list[BaseModel]] = {}
    for key, model in _KINDS:
        items = lists.get(key)
        if items is None:
            continue
        kept = records[key] = []
        for index, item in enumerate(items):
            try:
                record = model.model_validate(item)
                share_fields_set(record)  # one set for all, as storage's reads do
                kept.append(record)
            except ValidationError as exc:
                problems.extend(_problems(exc, data, source, (key, index)))
            items[index] = None  # its model (or its problems) is all that is needed now
    if problems:
        raise InvalidInput(problems)
    return _checked(
        Register.model_construct(top.model_fields_set, **{**dict(top), **records}), source
    )


def _validate_whole(data: dict[str, Any], source: str) -> Register:
    """Validate ``data`` as one :class:`Register` (for data that is not lists of records)."""
    try:
        return Register.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput(_problems(exc, data, source, ())) from None


def _problems(
    exc: ValidationError, data: dict[str, Any], source: str, at: tuple[str | int, ...]
) -> list[str]:
    """One line per error, naming the record (with its name) and the field.

    ``at`` is where the validated value sits in ``data`` (a record's list and
    index, or nothing for the whole register).
    """
    problems: list[str] = []
    for error in exc.errors(include_url=False):
        loc = at + tuple(error["loc"])
        model: type[BaseModel] | None = Register
        if len(loc) >= 2 and isinstance(loc[1], int):
            record = _label(data, loc[0], loc[1])
            rest = loc[2:]
            model = dict(_KINDS).get(str(loc[0]))
        else:
            record, rest = source, loc
        sub = ValidationError.from_exception_data(
            exc.title,
            [{**error, "loc": rest}],  # type: ignore[typeddict-unknown-key]
        )
        problems.extend(describe_validation_error(sub, record, model))
    return problems


def _checked(register: Register, source: str) -> Register:
    """The register, unless it answers questions the question bank does not have, or is a
    version-1 file that speaks of what only version 2 has."""
    problems = version_problems(register, source) + unknown_question_problems(register)
    if problems:
        raise InvalidInput(problems)
    return register


V2_ONLY: dict[str, tuple[str, ...]] = {
    kind: tuple(name for name in model.model_fields if name in V2_ONLY_FIELDS)
    for kind, model in (("suppliers", Supplier), ("contracts", Contract))
}
"""The fields of each kind of record in :data:`~supplier_register.domain.models.V2_ONLY_FIELDS`
(in the model's order).  A version-1 file that gives one is refused rather than half imported:
importing it as version 1 would leave that field as stored and drop what the file says."""

_V2_LISTS = ("services", "dependencies")


V3_ONLY: tuple[str, ...] = tuple(name for name in Supplier.model_fields if name in V3_ONLY_FIELDS)
"""The supplier fields of :data:`~supplier_register.domain.models.V3_ONLY_FIELDS` (dated
assurance), in the model's order: refused from an older file, as :data:`V2_ONLY` are."""


def version_problems(register: Register, source: str = "input") -> list[str]:
    """What an older file gives that only a later ``format_version`` has, one line each."""
    problems: list[str] = []
    if register.format_version < 4:
        fix = 'only format_version 4 has it; set "format_version": 4 to import it'
        problems.extend(
            f"{source}: {key}: {fix}" for key in V4_ONLY_LISTS if getattr(register, key)
        )
    if register.format_version < 3:
        fix = 'only format_version 3 has it; set "format_version": 3 to import it'
        for index, supplier in enumerate(register.suppliers):
            given = supplier.model_fields_set
            problems.extend(
                f"{_record_label('suppliers', index, supplier)}: "
                f"{Supplier.model_fields[name].title or name}: {fix}"
                for name in V3_ONLY
                if name in given
            )
    return _v2_problems(register, source) + problems


def _v2_problems(register: Register, source: str) -> list[str]:
    """What a ``format_version`` 1 file gives that only version 2 has, one line each."""
    if register.format_version >= 2:
        return []
    fix = 'only format_version 2 has it; set "format_version": 2 to import it'
    problems = [f"{source}: {key}: {fix}" for key in _V2_LISTS if key in register.model_fields_set]
    if register.profile is not None:
        problems.append(f"{source}: profile: {fix}")
    for key, fields in V2_ONLY.items():
        records: list[BaseModel] = getattr(register, key)
        for index, record in enumerate(records):
            given = record.model_fields_set
            problems.extend(
                f"{_record_label(key, index, record)}: "
                f"{type(record).model_fields[name].title or name}: {fix}"
                for name in fields
                if name in given
            )
    return problems


def _record_label(kind: str, index: int, record: BaseModel) -> str:
    """'contracts[0] (EPR licence)': a validated record named as :func:`_label` names it."""
    name = getattr(record, "name", None) or getattr(record, "title", None)
    return f"{kind}[{index}] ({name.strip()[:60]})" if isinstance(name, str) else f"{kind}[{index}]"


def unknown_question_problems(register: Register) -> list[str]:
    """Answers to questions the question bank does not have (a typo, or another tool's id)."""
    known = set(question_ids())
    return [
        f"answers[{i}] ({a.supplier} / {a.question_id}): question_id: not a question in the "
        "question bank"
        for i, a in enumerate(register.answers)
        if a.question_id not in known
    ]


def read_register_file(path: Path) -> Register:
    """Read an interchange file, turning I/O problems into one-line user errors."""
    try:
        text = limits.read_limited(path, limits.MAX_JSON_BYTES, "file", str(path)).decode(
            "utf-8-sig"
        )
    except FileNotFoundError:
        raise BadFile(f"{path}: no such file") from None
    except IsADirectoryError:
        raise BadFile(f"{path}: is a directory") from None
    except UnicodeDecodeError:
        raise BadFile(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise BadFile(f"{path}: cannot read ({exc.strerror})") from None
    data = load_register_json(text, str(path))
    del text  # a large file's text is not kept while its records are validated
    return validate_register_data(data, str(path))


def dump_register_json(register: Register) -> str:
    """The register as indented JSON, ending in a newline."""
    return register.model_dump_json(indent=2) + "\n"


CHUNK_ITEMS = 1000
"""Records serialised together by :func:`iter_register_json`."""

_KINDS: tuple[tuple[str, type[BaseModel]], ...] = (
    ("people", Person),
    ("suppliers", Supplier),
    ("contracts", Contract),
    ("answers", Answer),
    ("services", Service),
    ("dependencies", Dependency),
    ("provenance", ImportSource),
    ("identifiers", SupplierIdentifier),
)


def iter_register_json(
    trust: str | None,
    people: Iterable[Person],
    suppliers: Iterable[Supplier],
    contracts: Iterable[Contract],
    answers: Iterable[Answer],
    services: Iterable[Service],
    dependencies: Iterable[Dependency],
    profile: TrustProfile | None = None,
    provenance: Iterable[ImportSource] = (),
    identifiers: Iterable[SupplierIdentifier] = (),
) -> Iterator[str]:
    """:func:`dump_register_json` of the register made of these records, in pieces.

    The text is the same, character for character; the records are taken a
    chunk at a time, so a register of tens of thousands of suppliers (hundreds
    of thousands of answers) is never held whole, as models or as text.  Each
    chunk is serialised by pydantic as a list one level in, exactly where the
    document's own list sits, so it needs no re-indenting.
    """
    text = Register.model_construct(trust=trust, profile=profile).model_dump_json(indent=2)
    for (key, model), records in zip(
        _KINDS,
        (people, suppliers, contracts, answers, services, dependencies, provenance, identifiers),
        strict=True,
    ):
        member = f"\n  {json.dumps(key)}: []"
        at = text.find(member)
        if at < 0:
            raise KeyError(key)
        split = at + len(member) - 2
        yield text[:split]
        text = text[split + 2 :]
        yield from _items(key, model, records)
    yield text + "\n"


def _items(key: str, model: type[BaseModel], records: Iterable[BaseModel]) -> Iterator[str]:
    """The text of a document's list ``key`` of ``model`` records: ``[`` ... ``]``, indented."""
    adapter = _list_adapter(model)
    head = '{\n  "x": [\n'
    tail = "\n  ]\n}"
    first = True
    it = iter(records)
    while chunk := list(islice(it, CHUNK_ITEMS)):
        body = adapter.dump_json({"x": chunk}, indent=2).decode("utf-8")
        if not (body.startswith(head) and body.endswith(tail)):
            raise ValueError(f"{key}: unexpected serialisation")
        yield ("[\n" if first else ",\n") + body[len(head) : -len(tail)]
        first = False
    yield "[]" if first else "\n  ]"


@cache
def _list_adapter(model: type[BaseModel]) -> TypeAdapter[dict[str, list[Any]]]:
    return TypeAdapter(dict[str, list[model]])  # type: ignore[valid-type]


def register_schema_json() -> str:
    """JSON Schema of the interchange format, generated from the models."""
    schema = Register.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
