"""Provider monitoring returns: the template providers fill in, and validation of what they send.

- ``vocabulary``: the names, codes and slugs a return may use, matched ignoring case, spacing and
  punctuation, with "did you mean" suggestions.
- ``template``: the XLSX template (read me, drop-down lists) and the header-only CSV template.
- ``files``: turns uploaded bytes into rows of cells, refusing oversized, mis-encoded, damaged and
  zip-bomb files before any spreadsheet parser sees them.
- ``parse``: ``read_return`` validates every row and either returns what would be loaded (with
  any unusual values to confirm) or raises ``ReturnRejected`` listing the problems with their
  file, sheet, row and column.
- ``plausibility``: the database figures the catalogue's plausibility rules compare a return
  with (the districts' Census carers, the provider's earlier returns), gathered by the caller.

Nothing here touches the database: loading a validated return is the caller's job.
"""
