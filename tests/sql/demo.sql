-- The demo end to end: the generated marketplace and the closure list.
.load PENALTY
.read sql/demo/demo.sql
