-- The rules history names who made each change ("upload of x.drl by analyst '<a name of up to 200
-- characters>' (id ...)") or the folder a change came from: 200 characters were too few.
ALTER TABLE rule_activations ALTER COLUMN triggered_by SET DATA TYPE VARCHAR(1000);
