-- See the PostgreSQL migration of the same number. SQLite's triggers run
-- for each row; locations are written a few at a time.
CREATE TABLE location_generation (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    generation INTEGER NOT NULL
);
INSERT INTO location_generation (id, generation) VALUES (1, 0);

CREATE TRIGGER locations_inserted AFTER INSERT ON locations
BEGIN
	UPDATE location_generation SET generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER locations_updated AFTER UPDATE ON locations
BEGIN
	UPDATE location_generation SET generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER locations_deleted AFTER DELETE ON locations
BEGIN
	UPDATE location_generation SET generation = generation + 1 WHERE id = 1;
END;
