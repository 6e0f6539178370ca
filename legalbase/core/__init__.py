"""Infrastructure every room shares: the database and unit of work, settings, errors, the audit
log, limits on untrusted work, dates, the file store."""
