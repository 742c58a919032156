-- Every message the PAS feed sent, applied or not, with the answer it got.
-- A message changes casetrack once per control id: the unique index holds
-- the one that was applied (resends are kept beside it, applied false,
-- repeat_of naming it), and is taken in the transaction that applies it.
-- patient_id names the patient a message was about; like the access log
-- it keeps no foreign key (patients are never deleted).
CREATE TABLE feed_messages (
    id           INTEGER PRIMARY KEY,
    received_at  DATETIME NOT NULL,
    remote       TEXT NOT NULL,
    sender       TEXT NOT NULL,
    facility     TEXT NOT NULL,
    control_id   TEXT NOT NULL,
    message_type TEXT NOT NULL,
    status       TEXT NOT NULL,
    applied      BOOLEAN NOT NULL,
    repeat_of    INTEGER,
    code         INTEGER NOT NULL,
    location     TEXT NOT NULL,
    reason       TEXT NOT NULL,
    patient_id   INTEGER,
    raw          TEXT NOT NULL,
    ack          TEXT NOT NULL
);
CREATE UNIQUE INDEX feed_messages_applied ON feed_messages (sender, facility, control_id) WHERE applied;
CREATE INDEX feed_messages_status ON feed_messages (status, id);
