-- The request report reads every request needed in a range of days,
-- whatever its status; the queue's index holds the open ones only.
CREATE INDEX requests_need ON requests (needed_by);
