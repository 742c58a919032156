-- A number that moves whenever a location is added or changed, by any
-- instance, import or command. Each instance caches locations (they are
-- read on every scan) and asks for this number at most once a second,
-- forgetting its cache when it has moved: a change is seen everywhere at
-- once, not when a cached entry expires. Scans never write locations, so
-- the trigger costs them nothing.
CREATE TABLE location_generation (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    generation BIGINT NOT NULL
);
INSERT INTO location_generation (id, generation) VALUES (1, 0);

CREATE FUNCTION casetrack_location_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	UPDATE location_generation SET generation = generation + 1 WHERE id = 1;
	RETURN NULL;
END
$$;
CREATE TRIGGER locations_changed AFTER INSERT OR UPDATE OR DELETE ON locations
FOR EACH STATEMENT EXECUTE FUNCTION casetrack_location_changed();
