"""Provider monitoring returns: the template providers fill in, and validation of what they send.

- ``vocabulary``: the names, codes and slugs a return may use, matched ignoring case, spacing and
  punctuation, with "did you mean" suggestions.
- ``template``: the XLSX template (read me, drop-down lists) and the header-only CSV template.
- ``files``: turns uploaded bytes into rows of cells, refusing oversized, mis-encoded, damaged and
  zip-bomb files before any spreadsheet parser sees them.
- ``parse``: ``read_return`` validates every row and either returns what would be loaded or
  raises ``ReturnRejected`` listing every problem with its file, sheet, row and column.

Nothing here touches the database: loading a validated return is the caller's job.
"""
