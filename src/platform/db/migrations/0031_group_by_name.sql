-- A group's customers by name (the list filtered by a group, the default sort; the groups page opens it) walked
-- the name index of every customer and kept those of the group: to show 50 of the Staff (1 % of a million),
-- ~5,000 index entries and rows, 14 ms in the database, p95 22–38 ms through HTTP (docs/benchmarks.md, "Customer
-- list", 2026-11-25). The group's own index now holds the name order after the group: the page is the first 51
-- entries (1 ms). It replaces the index of (merchant_id, group_id), which it serves as well (a group's size, moving
-- a group's customers, deleted ones too: not partial), so a customer's write keeps the same number of indexes.

DROP INDEX customer_group_idx;
CREATE INDEX customer_group_idx ON customer (merchant_id, group_id, name_sort, id);
