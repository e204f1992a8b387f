"""What leaves the building: letters rendered from templates to PDF, and emails sent over SMTP (or, on the
embedded default, written to a local outbox folder)."""
