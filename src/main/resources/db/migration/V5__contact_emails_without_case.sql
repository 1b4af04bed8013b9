-- Contacts are found by email without regard to case (Contact.normalEmail), so stored emails are
-- brought to lower case. Where several contacts have one address in different cases, they are one
-- customer: the contact with the smallest id keeps the address, and the others keep everything
-- but it (their conversations, owner and name stay; they are still found by id).
UPDATE contacts SET email = NULL
WHERE email IS NOT NULL
  AND EXISTS (SELECT 1 FROM contacts other WHERE other.id < contacts.id AND LOWER(TRIM(other.email)) = LOWER(TRIM(contacts.email)));
UPDATE contacts SET email = LOWER(TRIM(email)) WHERE email <> LOWER(TRIM(email));
