-- Documents are compressed with lz4 rather than the default pglz: the same size on disk for a third of PostgreSQL's CPU
-- per stored brief (docs/benchmarks.md). Rows stored before keep pglz; both read back alike.
ALTER TABLE briefs ALTER COLUMN document SET COMPRESSION lz4;
