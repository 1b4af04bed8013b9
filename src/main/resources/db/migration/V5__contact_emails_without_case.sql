-- Contacts are found by email without regard to case (Contact.normalEmail): emails stored before
-- are brought to lower case. Where two contacts differ only in the case of their email, both are
-- left as they were (lowering them would break the unique index); those rows are found by id
-- only, and an admin merges them by hand.
UPDATE contacts SET email = LOWER(TRIM(email))
WHERE email <> LOWER(TRIM(email))
  AND NOT EXISTS (SELECT 1 FROM contacts other WHERE other.id <> contacts.id AND LOWER(TRIM(other.email)) = LOWER(TRIM(contacts.email)));
