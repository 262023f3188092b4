-- The tables that work as queues (rows written, relayed and deleted within moments) keep their
-- empty pages. To give them back to the file system a vacuum needs the table's exclusive lock,
-- which the steady writers there keep it from getting: it retries for up to 5 s. The relays run
-- their own VACUUM between batches (OutboxStore.vacuum), so under load a relay stood still that
-- long (seen at 100,000 delayed jobs released at once: the change relay for 3 s, the outbox relay
-- for 2 s). The pages would be filled again within a second anyway.
ALTER TABLE outbox SET (vacuum_truncate = false);
ALTER TABLE job_changes SET (vacuum_truncate = false);
ALTER TABLE worker_changes SET (vacuum_truncate = false);
ALTER TABLE scheduled_jobs SET (vacuum_truncate = false);
