-- A notification's id is its decision's id, '/', and its place in the decision's list: with a
-- decision id of up to 64 characters that is more than 64. 128 holds any such id.
ALTER TABLE notifications ALTER COLUMN id SET DATA TYPE VARCHAR(128);
