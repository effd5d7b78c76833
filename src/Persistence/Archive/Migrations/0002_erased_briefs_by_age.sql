-- The retention purge of tombstones: the oldest erasures first.
CREATE INDEX erased_briefs_by_age ON erased_briefs (erased_at);
