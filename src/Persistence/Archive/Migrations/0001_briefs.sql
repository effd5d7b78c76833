-- Every finished revision of a brief (ready, incomplete, cancelled, used), as the saga stored it in Redis.
CREATE TABLE briefs (
    brief_id            uuid        NOT NULL,
    revision            integer     NOT NULL,
    -- The saga document's version: a later write of the same revision (ready, then used) replaces an earlier one.
    version             integer     NOT NULL,
    user_id             text        NOT NULL,
    coaching_session_id bigint      NOT NULL,
    status              text        NOT NULL,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL,
    archived_at         timestamptz NOT NULL DEFAULT now(),
    -- json, not jsonb: jsonb reorders object keys, and the archived brief must read back exactly as Redis served it
    -- (the order of a section's fields is what the preview and the exports show). The columns above are what queries use.
    document            json        NOT NULL,
    PRIMARY KEY (brief_id, revision)
);

-- The lists to come: a user's briefs newest first, and a user's briefs of one coaching session.
CREATE INDEX briefs_by_user ON briefs (user_id, created_at DESC, brief_id);
CREATE INDEX briefs_by_session ON briefs (user_id, coaching_session_id);
-- The retention purge to come: finished revisions by status and age.
CREATE INDEX briefs_by_status_age ON briefs (status, updated_at);

-- Briefs their owner erased: an event arriving after the erasure never archives them again.
CREATE TABLE erased_briefs (
    brief_id  uuid        PRIMARY KEY,
    erased_at timestamptz NOT NULL
);
