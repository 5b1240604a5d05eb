-- XCM coordinator journal, schema version 3: the tables of Quartz's JDBC job store, where the jobs
-- that act (settling moves, pruning the audit log, the nightly balance) live when coordinators
-- share a PostgreSQL journal, clustered. The placeholder below stands for Quartz's own DDL for
-- PostgreSQL, from the Quartz jar this XCM runs with (its DROP statements left out); an H2 journal,
-- one coordinator's, keeps those jobs in memory and gets nothing here.
{{QuartzTables}}
