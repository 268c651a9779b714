"""Reading the content folder, the pipeline's first stage: files to validated documents.

files finds and reads the sources, front_matter parses YAML keeping its lines, validate
turns a record into a FactCheck or Page or problems (one converter per kind of value in
fields), read and reread do it for a whole build or a session's changed files. A newcomer
adds a front-matter field in validate.py (docs/architecture.md, "Where to start").
"""

from typing import TYPE_CHECKING

from sitegen import seams

if TYPE_CHECKING:
    from sitegen.content.files import SourceFile, is_ignored_name, read_source, static_link_problems
    from sitegen.content.front_matter import Record, Scalar, read_record
    from sitegen.content.read import load_documents
    from sitegen.content.reread import Input, InputReader, Reading
    from sitegen.content.validate import FACTCHECK_FIELDS, PAGE_FIELDS, validate_record

__all__ = [
    "FACTCHECK_FIELDS", "PAGE_FIELDS", "Input", "InputReader", "Reading", "Record", "Scalar",
    "SourceFile", "is_ignored_name", "load_documents", "read_record", "read_source",
    "static_link_problems", "validate_record",
]

if not TYPE_CHECKING:  # mypy and editors read the imports above instead
    __getattr__, __dir__ = seams.lazy(__name__, {
        "SourceFile": "sitegen.content.files",
        "is_ignored_name": "sitegen.content.files",
        "read_source": "sitegen.content.files",
        "static_link_problems": "sitegen.content.files",
        "Record": "sitegen.content.front_matter",
        "Scalar": "sitegen.content.front_matter",
        "read_record": "sitegen.content.front_matter",
        "load_documents": "sitegen.content.read",
        "Input": "sitegen.content.reread",
        "InputReader": "sitegen.content.reread",
        "Reading": "sitegen.content.reread",
        "FACTCHECK_FIELDS": "sitegen.content.validate",
        "PAGE_FIELDS": "sitegen.content.validate",
        "validate_record": "sitegen.content.validate",
    })
