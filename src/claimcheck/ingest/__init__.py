"""Reading documents (text plus metadata) from files, folders and strings."""

from claimcheck.ingest.documents import (
    Loaded,
    decode,
    document_from_text,
    expand_paths,
    load_documents,
    read_document,
    read_manifest,
)

__all__ = [
    "Loaded",
    "decode",
    "document_from_text",
    "expand_paths",
    "load_documents",
    "read_document",
    "read_manifest",
]
