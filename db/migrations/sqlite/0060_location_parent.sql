-- Locations are walked down their tree (what is at a library counted
-- with its bays and shelves, sweeps, loops refused) by parent: each step
-- of the walk reads the children of a location by this index.
CREATE INDEX locations_parent ON locations (parent_id) WHERE parent_id IS NOT NULL;
